package com.acme.shop;

import db.api.Db;
import db.api.DbConfig;
import db.api.DuplicateKeyException;
import db.api.Providers;
import db.api.Session;
import java.util.UUID;

/**
 * Uses Switchboard through the process-wide {@link Db}: a transaction that commits, one that fails on a
 * duplicate key and rolls back. The database comes from the environment ({@code DB_URL}, {@code DB_USER},
 * {@code DB_PASSWORD}, or {@code -Ddb.url=...}). Any failure ends {@code main} with an exception, so the
 * JVM exits non-zero; success prints one line and exits 0.
 */
public final class Main {

    private Main() {
    }

    /**
     * Starts the pool, runs the application, closes the pool.
     *
     * @param args not used
     */
    public static void main(final String[] args) {
        // This project exists to prove the module path works: refuse to pass on the class path.
        if (!Main.class.getModule().isNamed()) {
            throw new IllegalStateException("not on the module path: run java --module-path ... "
                    + "--module com.acme.shop/com.acme.shop.Main");
        }
        Db.init(DbConfig.fromEnvironment());   // DB_URL, DB_USER, DB_PASSWORD, ...; -Ddb.url=... overrides
        try {
            runApplication();
        } finally {
            Db.close();
        }
    }

    private static void runApplication() {
        final Providers providers = Db.get().providers();
        if (!providers.errorMappers().contains("postgres")) {
            throw new IllegalStateException("the PostgreSQL error mapper was not found: " + providers);
        }
        // A table name of its own (generated, never input), so parallel or failed runs do not collide.
        final String table = "acme_orders_" + UUID.randomUUID().toString().replace("-", "");
        try (Session s = Db.session()) {
            s.execute("create table " + table + " (id bigint primary key, item text not null)");
        }
        try {
            Db.runInTransaction(s -> {
                s.execute("insert into " + table + " (id, item) values (?, ?)", 1, "book");
                s.execute("insert into " + table + " (id, item) values (?, ?)", 2, "lamp");
            });
            final String constraint = insertDuplicate(table);
            final long rows = Db.inTransaction(s ->
                    s.querySingle("select count(*) from " + table, row -> row.getLong(1)));
            if (rows != 2) {
                throw new IllegalStateException("expected the 2 committed rows only, found " + rows);
            }
            System.out.println("module path: 2 rows committed; the transaction with a duplicate key ("
                    + constraint + ") rolled back");
        } finally {
            try (Session s = Db.session()) {
                s.execute("drop table " + table);
            }
        }
    }

    /** Inserts a new row and a duplicate in one transaction: both must be rolled back. */
    private static String insertDuplicate(final String table) {
        try {
            Db.runInTransaction(s -> {
                s.execute("insert into " + table + " (id, item) values (?, ?)", 3, "pen");
                s.execute("insert into " + table + " (id, item) values (?, ?)", 1, "book again");
            });
        } catch (DuplicateKeyException e) {
            return e.constraint().orElseThrow(() -> new IllegalStateException("no constraint name", e));
        }
        throw new IllegalStateException("the duplicate key was accepted");
    }
}
