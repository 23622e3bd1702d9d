/** A task error as a Lambda reports it: its name (what the ASL's ErrorEquals matches) and message, nothing attached. */
export class TaskError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}
