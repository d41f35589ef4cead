package db.benchmarks;

/**
 * The five things the load benchmark compares. Each runs in a JVM of its own; every pool holds 8
 * connections opened up front.
 */
enum LoadVariant {
    /** One dedicated pgjdbc connection per thread, no pool: the floor (only where threads ≤ connections). */
    PGJDBC("pgjdbc", "dedicated pgjdbc"),
    /** HikariCP at its defaults. */
    HIKARI("hikari", "raw HikariCP"),
    /** c3p0 configured as db-pool-c3p0 configures it. */
    C3P0("c3p0", "raw c3p0 (provider config)"),
    /** Switchboard sessions over its c3p0 provider. */
    SWITCHBOARD_C3P0("sb-c3p0", "Switchboard / c3p0"),
    /** Switchboard sessions over its HikariCP provider. */
    SWITCHBOARD_HIKARI("sb-hikari", "Switchboard / HikariCP");

    final String id;
    final String label;

    LoadVariant(String id, String label) {
        this.id = id;
        this.label = label;
    }

    static LoadVariant of(String id) {
        for (LoadVariant v : values()) {
            if (v.id.equals(id)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown variant '" + id + "'");
    }
}
