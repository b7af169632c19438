package dev.sluice.postgres;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A row of {@code move_task}: a StartMessageMoveTask and its progress. The replica holding the background lease runs
 * the running ones, each batch of moved messages committed together with these counters, so another replica resumes
 * where it stopped.
 */
@Entity
@Table(name = "move_task")
public class MoveTaskRow extends PanacheEntityBase {
    @Id
    @Column(name = "task_handle")
    public String taskHandle;

    @Column(name = "source_queue_id", nullable = false)
    public long sourceQueueId;

    @Column(name = "source_arn", nullable = false)
    public String sourceArn;

    /** Null: each message goes back to the queue it was dead-lettered from. */
    @Column(name = "destination_arn")
    public String destinationArn;

    @Column(name = "max_per_second", nullable = false)
    public int maxPerSecond;

    @Column(name = "status", nullable = false)
    public String status;

    @Column(name = "moved", nullable = false)
    public long moved;

    @Column(name = "to_move", nullable = false)
    public long toMove;

    @Column(name = "failure_reason")
    public String failureReason;

    @Column(name = "started_at", nullable = false)
    public long startedAt;
}
