import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The one row of `sync_horizon`: how far the purge has deleted changes. A sync token before it
 * may have missed a purged change, so it gets 410 Gone and the client starts over.
 */
@Entity({ name: 'sync_horizon' })
@Check('sync_horizon_single_row', 'id = 1')
export class SyncHorizon {
  @PrimaryColumn({ type: 'smallint', default: 1 })
  id!: number;

  /** The (xid, position) of the last purged change; (0, 0) before any purge. */
  @Column({ name: 'purged_xid', type: 'bigint', default: 0 })
  purgedXid!: string;

  @Column({ name: 'purged_position', type: 'bigint', default: 0 })
  purgedPosition!: string;
}
