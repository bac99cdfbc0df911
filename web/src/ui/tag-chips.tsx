/** Tags as a row of chips. */
export function TagChips({ tags }: { tags: readonly string[] }) {
  return (
    <ul className="chips">
      {tags.map((tag) => (
        <li key={tag} className="chip">
          {tag}
        </li>
      ))}
    </ul>
  );
}
