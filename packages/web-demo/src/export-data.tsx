import { useEffect, useState } from 'preact/hooks';
import { DataExportsDocument, ExportMyDataDocument, type DataExportFieldsFragment, type Session } from '@letstalk/sdk';
import { messageOf } from './hooks.ts';

/** How often an archive being prepared is looked at again. */
const POLL_MS = 2_000;

const sizeOf = (bytes: number) =>
  bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * Beside the signed-in person's name: Export my data asks for an archive (`exportMyData`), then looks at
 * `dataExports` every two seconds until it is ready, and offers it to download; a failure or a refusal (two a day)
 * shows its message.
 */
export function ExportData({ session }: { session: Session }) {
  const [archive, setArchive] = useState<DataExportFieldsFragment>();
  const [error, setError] = useState<string>();

  // The newest archive there is, ready or being prepared, from before a reload too.
  useEffect(() => {
    session.request(DataExportsDocument).then(
      ({ dataExports }) => setArchive((shown) => shown ?? dataExports.find((found) => found.status !== 'FAILED')),
      () => undefined,
    );
  }, [session]);

  useEffect(() => {
    if (archive?.status !== 'PREPARING') return;
    const timer = setTimeout(() => {
      session.request(DataExportsDocument).then(
        ({ dataExports }) => setArchive(dataExports.find((found) => found.id === archive.id) ?? archive),
        (failure: unknown) => setError(messageOf(failure)),
      );
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [archive, session]);

  const ask = () => {
    setError(undefined);
    session.request(ExportMyDataDocument).then(
      ({ exportMyData }) => setArchive(exportMyData),
      (failure: unknown) => setError(messageOf(failure)),
    );
  };

  return (
    <div class="export-data">
      <button type="button" class="link" disabled={archive?.status === 'PREPARING'} onClick={ask}>
        Export my data
      </button>
      {(archive || error) && (
        <p class="status" role="status">
          {error ??
            (archive?.status === 'PREPARING' ? (
              'Preparing your archive…'
            ) : archive?.status === 'READY' && archive.url ? (
              <a href={archive.url} download>
                Download your data ({sizeOf(archive.size ?? 0)})
              </a>
            ) : (
              `The archive could not be made: ${archive?.failureReason ?? 'unknown reason'}`
            ))}
        </p>
      )}
    </div>
  );
}
