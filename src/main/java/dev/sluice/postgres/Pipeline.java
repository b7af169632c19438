package dev.sluice.postgres;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Several statements as one transaction in one round trip: {@code BEGIN}, the statements and {@code COMMIT} are all
 * written to the connection before any answer is read (the client pipelines them), so the server runs them back to
 * back and row locks are held for the server's work only, never for a network round trip.
 *
 * <p>Vert.x's own {@code Transaction} would wait for the statements' results before sending {@code COMMIT}: a second
 * round trip. Here, if a statement fails the server ignores the rest of the transaction and answers the
 * {@code COMMIT} with a rollback; the returned future then fails with the first statement's error, so success means
 * committed.
 */
final class Pipeline {
    private Pipeline() {}

    /**
     * One prepared statement with its arguments; {@code committed} (null: none) is given the statement's rows once the
     * transaction has committed, before the returned future completes.
     */
    record Step(String sql, Tuple arguments, Consumer<RowSet<Row>> committed) {
        Step(String sql, Tuple arguments) {
            this(sql, arguments, null);
        }
    }

    /** Runs the steps in one transaction; completes with the last step's rows once committed. */
    static Future<RowSet<Row>> inTransaction(SqlConnection connection, List<Step> steps) {
        List<Future<?>> all = new ArrayList<>(steps.size() + 2);
        all.add(connection.query("begin").execute());
        List<Future<RowSet<Row>>> results = new ArrayList<>(steps.size());
        Future<RowSet<Row>> last = null;
        for (Step step : steps) {
            last = connection.preparedQuery(step.sql()).execute(step.arguments());
            all.add(last);
            results.add(last);
        }
        all.add(connection.query("commit").execute());
        Future<RowSet<Row>> result = last;
        return Future.join(all).transform(done -> {
            for (Future<?> each : all) {
                if (each.failed()) {
                    return Future.failedFuture(each.cause());
                }
            }
            for (int i = 0; i < steps.size(); i++) {
                if (steps.get(i).committed() != null) {
                    steps.get(i).committed().accept(results.get(i).result());
                }
            }
            return result;
        });
    }
}
