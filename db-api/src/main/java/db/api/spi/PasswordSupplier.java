package db.api.spi;

/**
 * Where the password of each new physical connection comes from, asked anew every time the pool opens
 * one (HikariCP's credentials supplier, psycopg's {@code kwargs} callable): rotated passwords and
 * short-lived tokens (IAM-style) work without a restart. Retiring the connections opened with the old
 * one is {@code Database.evictAll()}.
 *
 * <p>Set it with {@code DbConfig.builder().passwordSupplier(...)}; it wins over {@code db.password}.
 * It is called on a pool thread, must be thread-safe and should answer quickly (cache a token until it
 * nears expiry). Its value is never logged; when it throws, that connection attempt fails.
 */
@FunctionalInterface
public interface PasswordSupplier {

    /** {@return the password for the next connection; null for none} */
    String password();
}
