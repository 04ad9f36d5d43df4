// Version A: the object offers `join`, the Worker calls `join`.
import { RoomBase, worker, type Members } from "./room.js";

export class Room extends RoomBase {
  join(who: string): Promise<Members> {
    return this.add(who);
  }
}
export default worker("join");
