/** A status as a word and a colour: the word carries the meaning, the colour only helps the eye. */
export const Status = ({ value }: { value: string }) => (
  <span class={`status status-${value.replace(/[^a-z_]/gi, '')}`}>{value.replaceAll('_', ' ')}</span>
);
