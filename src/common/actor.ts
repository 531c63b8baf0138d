/** Who caused a change: recorded in the journal. */
export interface Actor {
  id: string;
  role: string;
}
