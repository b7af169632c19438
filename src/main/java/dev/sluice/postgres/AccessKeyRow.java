package dev.sluice.postgres;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row of {@code access_key}. The secret is stored as given: SigV4 needs it to compute the signature. */
@Entity
@Table(name = "access_key")
public class AccessKeyRow extends PanacheEntityBase {
    @Id
    @Column(name = "access_key_id")
    public String accessKeyId;

    @Column(name = "secret", nullable = false)
    public String secret;

    @Column(name = "account_id", nullable = false)
    public String accountId;

    @Column(name = "enabled", nullable = false)
    public boolean enabled;

    @Column(name = "created_at", nullable = false)
    public long createdAt;

    @Override
    public String toString() {
        return "AccessKeyRow[" + accessKeyId + ", account " + accountId + "]";
    }
}
