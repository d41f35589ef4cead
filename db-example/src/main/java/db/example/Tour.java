package db.example;

import db.api.Database;
import db.api.Health;
import db.api.IntegrityViolationException;
import db.api.PoolStats;
import db.api.Providers;
import db.api.Session;
import db.api.TxOptions;
import java.io.PrintStream;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The steps of the example, each printing what it did. Everything it creates lives in a schema of
 * its own, dropped at the end even when a step fails, so it can run against any database.
 */
final class Tour {

    private final Database db;
    private final PrintStream out;
    private final String schema;

    Tour(Database db, PrintStream out) {
        this.db = db;
        this.out = out;
        // A fresh name per run: several runs (or tests) against one database never collide.
        this.schema = "switchboard_example_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    /** Runs every step, then drops the schema. */
    void run() {
        providers();
        try {
            session();
            committedTransaction();
            rolledBackTransaction();
            retriedTransaction();
            pool();
        } catch (RuntimeException | Error failure) {
            try {
                dropSchema();
            } catch (RuntimeException e) {
                // Never let the cleanup hide why the tour failed.
                failure.addSuppressed(e);
            }
            throw failure;
        }
        dropSchema();
        out.println();
        out.println("Done.");
    }

    private void providers() {
        Providers providers = db.providers();
        section("Providers chosen by ServiceLoader");
        out.println("  session provider: " + providers.sessionProvider());
        out.println("  error mappers:    " + String.join(", ", providers.errorMappers()));
        out.println("  instrumenters:    " + (providers.instrumenters().isEmpty()
                ? "(none: no spans)" : String.join(", ", providers.instrumenters())));
    }

    private void session() {
        section("A session (autocommit) running queries");
        try (Session session = db.openSession()) {
            String version = session.queryOne("select current_setting('server_version')", row -> row.getString(1))
                    .orElseThrow();
            String database = session.queryOne("select current_database()", row -> row.getString(1)).orElseThrow();
            out.println("  connected to PostgreSQL " + version + ", database " + database);

            session.execute("create schema " + schema);
            session.execute("create table " + schema + ".account ("
                    + "id bigint generated always as identity primary key, "
                    + "email text not null, "
                    + "constraint account_email_key unique (email))");
            out.println("  created table " + schema + ".account");
        }
    }

    private void committedTransaction() {
        section("A transaction that commits");
        int inserted = db.inTransaction(session -> session.execute(
                "insert into " + schema + ".account (email) values (?), (?)",
                "ada@example.org", "grace@example.org"));
        out.println("  inserted " + inserted + " rows; committed, accounts now: " + countAccounts());
    }

    private void rolledBackTransaction() {
        section("A transaction that fails on a duplicate key and rolls back");
        try {
            db.runInTransaction(session -> {
                session.execute("insert into " + schema + ".account (email) values (?)", "alan@example.org");
                session.execute("insert into " + schema + ".account (email) values (?)", "ada@example.org");
            });
            out.println("  unexpected: the duplicate was accepted");
        } catch (IntegrityViolationException e) {
            // Callers act on the family and the constraint's name, never on message text.
            out.println("  caught " + e.getClass().getSimpleName()
                    + ": sqlState=" + e.sqlState()
                    + " constraint=" + e.constraint().orElse("(none)")
                    + " table=" + e.table().orElse("(none)")
                    + " retryable=" + e.isRetryable());
            out.println("  message: " + e.getMessage());
        }
        out.println("  rolled back, the first insert too; accounts now: " + countAccounts());
    }

    private void retriedTransaction() {
        section("A serializable transaction, retried on serialization failures (TxOptions)");
        long count = db.inTransaction(TxOptions.serializable(3),
                session -> session.queryOne("select count(*) from " + schema + ".account", row -> row.getLong(1))
                        .orElseThrow());
        out.println("  counted " + count + " accounts in up to 3 attempts");
    }

    private void pool() {
        section("Pool statistics");
        PoolStats stats = db.stats();
        out.println("  pool " + stats.poolName() + ": total=" + stats.total() + " idle=" + stats.idle()
                + " busy=" + stats.busy() + " pending=" + stats.pending() + " min=" + stats.min()
                + " max=" + stats.max() + " timeouts=" + stats.timeouts() + " leaks=" + stats.leaks()
                + " created=" + stats.created() + " closed=" + stats.closed() + " rejected=" + stats.rejected()
                + " connectAttempts=" + stats.connectAttempts() + " connectFailures=" + stats.connectFailures());
        Health health = db.health();
        out.println("  health: " + (health.healthy() ? "healthy" : "unhealthy") + " in "
                + health.latency().toMillis() + " ms");
    }

    private long countAccounts() {
        try (Session session = db.openSession()) {
            return session.queryOne("select count(*) from " + schema + ".account", row -> row.getLong(1))
                    .orElseThrow();
        }
    }

    private void dropSchema() {
        section("Cleanup");
        try (Session session = db.openSession()) {
            session.execute("drop schema if exists " + schema + " cascade");
            out.println("  dropped schema " + schema);
        }
    }

    private void section(String title) {
        out.println();
        out.println("== " + title);
    }
}
