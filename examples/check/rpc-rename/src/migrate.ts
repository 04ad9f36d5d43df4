// Migrate: the object still accepts both names; the Worker now calls `enter`.
import { RoomBase, worker, type Members } from "./room.js";

export class Room extends RoomBase {
  join(who: string): Promise<Members> {
    return this.add(who);
  }
  enter(who: string): Promise<Members> {
    return this.add(who);
  }
}
export default worker("enter");
