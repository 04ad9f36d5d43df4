// Version B (and the contract step): `join` renamed to `enter` on both sides at once.
import { RoomBase, worker, type Members } from "./room.js";

export class Room extends RoomBase {
  enter(who: string): Promise<Members> {
    return this.add(who);
  }
}
export default worker("enter");
