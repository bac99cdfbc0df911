import { useMutation } from "@apollo/client/react";
import { useId, useState, type FormEvent } from "react";
import { AdminCreateUserDocument, AdminUsersDocument, Role, type AdminUserRowFragment } from "../gql/graphql";
import { ErrorMessage } from "../ui/error-message";
import { TextField } from "../ui/text-field";

/** Problems the server ties to one input are shown under it; the rest under the button. */
const FIELDS = ["handle", "displayName", "email", "role"];

interface NewUser {
  handle: string;
  displayName: string;
  email: string;
  role: Role;
}

const blank: NewUser = { handle: "", displayName: "", email: "", role: Role.Member };

/** A new account; once created, the page offers to issue its first token. */
export function CreateUserForm({ onCreated }: { onCreated(user: AdminUserRowFragment): void }) {
  const id = useId();
  const [user, setUser] = useState<NewUser>(blank);
  const [create, { loading, error }] = useMutation(AdminCreateUserDocument, {
    refetchQueries: [AdminUsersDocument],
  });
  const set = <K extends keyof NewUser>(key: K, value: NewUser[K]) => setUser({ ...user, [key]: value });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input = {
      handle: user.handle.trim(),
      displayName: user.displayName.trim() || null,
      email: user.email.trim() || null,
      role: user.role,
    };
    const result = await create({ variables: { input } }).catch(() => null);
    if (!result?.data) return;
    setUser(blank);
    onCreated(result.data.createUser);
  };

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Create a user</h2>
      <form onSubmit={submit} noValidate>
        <div className="form-grid">
          <TextField
            id={`${id}-handle`}
            label="Handle"
            field="handle"
            required
            error={error}
            value={user.handle}
            onChange={(value) => set("handle", value)}
            hint="Lowercase letters, digits and '-', e.g. ada; it names what they own (ada/resnet-50)"
          />
          <TextField
            id={`${id}-name`}
            label="Display name"
            field="displayName"
            error={error}
            value={user.displayName}
            onChange={(value) => set("displayName", value)}
            hint="Optional, e.g. Ada Lovelace"
          />
          <TextField
            id={`${id}-email`}
            label="Email"
            field="email"
            error={error}
            value={user.email}
            onChange={(value) => set("email", value)}
            hint="Optional; seen only by the user and admins"
          />
          <div className="field">
            <label htmlFor={`${id}-role`}>Role</label>
            <select
              id={`${id}-role`}
              value={user.role}
              aria-describedby={`${id}-role-hint`}
              onChange={(event) => set("role", event.target.value as Role)}
            >
              <option value={Role.Member}>Member</option>
              <option value={Role.Admin}>Admin</option>
            </select>
            <p className="hint" id={`${id}-role-hint`}>
              Members see their own and public work; admins see and change everything, users included
            </p>
          </div>
        </div>
        <button type="submit" className="primary" disabled={loading || user.handle.trim() === ""}>
          {loading ? "Creating…" : "Create user"}
        </button>
        <ErrorMessage error={error} exceptFields={FIELDS} />
      </form>
    </section>
  );
}
