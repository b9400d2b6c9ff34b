import { useEffect, useState } from 'preact/hooks';
import {
  CreateGroupChatDocument,
  StartDirectChatDocument,
  UpdateProfileDocument,
  UsersDocument,
  type ProfileFragment,
  type Session,
} from '@letstalk/sdk';
import { messageOf } from './hooks.ts';

interface Person {
  id: string;
  displayName: string;
}

/** Find people (a name's start, or an exact email); one picked: a direct chat; more: a named group. */
export function NewChat(props: { session: Session; onCancel: () => void; onCreated: (chatId: string) => void }) {
  const { session } = props;
  const [search, setSearch] = useState('');
  const [found, setFound] = useState<Person[]>([]);
  const [picked, setPicked] = useState<Person[]>([]);
  const [groupName, setGroupName] = useState('');
  const [error, setError] = useState<string>();

  useEffect(() => {
    const query = search.trim();
    if (!query) return setFound([]);
    let current = true;
    const timer = setTimeout(() => {
      session.request(UsersDocument, { search: query, first: 20 }).then(
        ({ users }) => current && setFound(users.edges.map((edge) => edge.node)),
        (failure: unknown) => current && setError(messageOf(failure)),
      );
    }, 200);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [search, session]);

  const toggle = (person: Person) =>
    setPicked((list) =>
      list.some((entry) => entry.id === person.id) ? list.filter((entry) => entry.id !== person.id) : [...list, person],
    );

  const create = (event: Event) => {
    event.preventDefault();
    setError(undefined);
    const [first] = picked;
    if (!first) return;
    const created =
      picked.length === 1
        ? session.request(StartDirectChatDocument, { userId: first.id }).then((result) => result.startDirectChat.id)
        : session
            .request(CreateGroupChatDocument, { name: groupName.trim(), memberIds: picked.map((person) => person.id) })
            .then((result) => result.createGroupChat.id);
    created.then(props.onCreated, (failure: unknown) => setError(messageOf(failure)));
  };

  return (
    <form class="new-chat-panel" onSubmit={create}>
      <h2>New chat</h2>
      <label>
        Find people by name or email
        <input
          type="search"
          name="search"
          autoFocus
          value={search}
          onInput={(event) => setSearch(event.currentTarget.value)}
        />
      </label>
      <ul class="people">
        {found.map((person) => (
          <li key={person.id}>
            <label>
              <input
                type="checkbox"
                checked={picked.some((entry) => entry.id === person.id)}
                onChange={() => toggle(person)}
              />
              {person.displayName}
            </label>
          </li>
        ))}
      </ul>
      {picked.length > 1 && (
        <label>
          Group name
          <input required value={groupName} onInput={(event) => setGroupName(event.currentTarget.value)} />
        </label>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="actions">
        <button type="submit" disabled={picked.length === 0}>
          {picked.length > 1 ? `Create group (${picked.length})` : 'Start chat'}
        </button>
        <button type="button" class="link" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** New accounts are called "New user": ask for a name once. */
export function NameForm(props: { session: Session; onSaved: (me: ProfileFragment) => void }) {
  const [firstName, setFirstName] = useState('');
  const [lastName, setLastName] = useState('');
  const [error, setError] = useState<string>();
  const save = (event: Event) => {
    event.preventDefault();
    const input = { firstName: firstName.trim(), ...(lastName.trim() ? { lastName: lastName.trim() } : {}) };
    props.session.request(UpdateProfileDocument, { input }).then(
      ({ updateProfile }) => props.onSaved(updateProfile),
      (failure: unknown) => setError(messageOf(failure)),
    );
  };
  return (
    <form class="name-form" onSubmit={save}>
      <span>What should people call you?</span>
      <input
        name="firstName"
        placeholder="First name"
        required
        value={firstName}
        onInput={(event) => setFirstName(event.currentTarget.value)}
      />
      <input
        name="lastName"
        placeholder="Last name"
        value={lastName}
        onInput={(event) => setLastName(event.currentTarget.value)}
      />
      <button type="submit">Save</button>
      {error && <span class="error">{error}</span>}
    </form>
  );
}
