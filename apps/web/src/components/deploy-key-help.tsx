/** Where a deploy key goes at the common git hosts (write access is what pushing a branch needs), and what to press next. */
export function DeployKeyHelp() {
  return (
    <ul className="list-disc space-y-0.5 pl-5 text-xs text-muted">
      <li>
        GitHub: the repository’s <strong>Settings → Deploy keys → Add deploy key</strong>; tick <em>Allow write access</em> if missions should push.
      </li>
      <li>
        GitLab: <strong>Settings → Repository → Deploy keys</strong>; tick <em>Grant write permissions</em> to push.
      </li>
      <li>Other hosts: add it as an SSH key of a user or a deploy key of the repository.</li>
      <li>
        Then press <strong>Clone</strong>: Garrison clones with this key. If the clone fails (key not added yet, no access), fix it at the host and press <strong>Retry clone</strong>; the key stays the same.
      </li>
    </ul>
  );
}
