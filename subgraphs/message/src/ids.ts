/** A `User` owned by the user subgraph: this subgraph only hands out its id. */
export interface UserReference {
  __typename: 'User';
  id: string;
}

export const userReference = (id: string): UserReference => ({ __typename: 'User', id });
