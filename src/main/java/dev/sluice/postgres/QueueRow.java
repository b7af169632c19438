package dev.sluice.postgres;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A row of {@code queue}: one incarnation of a queue (a queue deleted and created again gets a new id, and so never
 * sees the old one's messages). {@code deletedAt} is set when it is deleted; the row stays until its messages are
 * swept.
 */
@Entity
@Table(name = "queue")
public class QueueRow extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    public Long id;

    @Column(name = "account_id", nullable = false)
    public String accountId;

    @Column(name = "name", nullable = false)
    public String name;

    @Column(name = "fifo", nullable = false)
    public boolean fifo;

    /** The attributes the user set, by their AWS names, with string values. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "attributes", nullable = false)
    public Map<String, String> attributes;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "tags", nullable = false)
    public Map<String, String> tags;

    /** The RedrivePolicy's deadLetterTargetArn, or null (ListDeadLetterSourceQueues looks it up). */
    @Column(name = "dead_letter_target")
    public String deadLetterTarget;

    @Column(name = "created_at", nullable = false)
    public long createdAt;

    @Column(name = "last_modified_at", nullable = false)
    public long lastModifiedAt;

    @Column(name = "last_purged_at")
    public Long lastPurgedAt;

    @Column(name = "deleted_at")
    public Long deletedAt;
}
