package dev.sluice.postgres;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of {@code tenant}: an account of the sigv4 mode; a null limit is no limit. */
@Entity
@Table(name = "tenant")
public class TenantRow extends PanacheEntityBase {
    @Id
    @Column(name = "account_id")
    public String accountId;

    @Column(name = "name", nullable = false)
    public String name;

    @Column(name = "enabled", nullable = false)
    public boolean enabled;

    @Column(name = "max_queues")
    public Integer maxQueues;

    @Column(name = "max_messages")
    public Long maxMessages;

    @Column(name = "created_at", nullable = false)
    public long createdAt;
}
