package db.core.support;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A bounded cache of what is derived from a SQL text, so that each distinct statement is scanned once:
 * the core's classification of session state a statement changes, an instrumenter's analysis and the
 * attributes it builds from it.
 *
 * <p>Two generations approximate an LRU without locking: lookups go to the young map, then the old
 * one (promoting a hit); when the young map reaches its capacity it becomes the old one and a fresh
 * young map starts. So at most {@code 2 * capacity} entries are held, statements in steady use stay
 * cached, and a flood of one-off statements (literals inlined into the text) merely cycles the
 * generations. Texts longer than {@code maxTextLength} are analyzed but never cached: they are
 * usually generated and unique, and would make the bound on memory meaningless. Races between
 * threads may lose an entry or analyze a text twice, which is harmless.
 *
 * @param <V> what the analyzer derives from a SQL text
 */
public final class SqlTextCache<V> {

    private final int capacity;
    private final int maxTextLength;
    private final Function<String, V> analyzer;
    private volatile Map<String, V> young = new ConcurrentHashMap<>();
    private volatile Map<String, V> old = Map.of();

    /**
     * A cache.
     *
     * @param capacity      entries per generation
     * @param maxTextLength the longest text that is cached
     * @param analyzer      computes the info of a text; must not throw
     */
    public SqlTextCache(int capacity, int maxTextLength, Function<String, V> analyzer) {
        if (capacity < 1 || maxTextLength < 0) {
            throw new IllegalArgumentException("capacity < 1 or maxTextLength < 0");
        }
        this.capacity = capacity;
        this.maxTextLength = maxTextLength;
        this.analyzer = analyzer;
    }

    /**
     * {@return the info of {@code sql}, from the cache when present}
     *
     * @param sql the SQL text, with {@code ?} placeholders for the parameters
     */
    public V get(String sql) {
        if (sql.length() > maxTextLength) {
            return analyzer.apply(sql);
        }
        Map<String, V> current = young;
        V info = current.get(sql);
        if (info != null) {
            return info;
        }
        info = old.get(sql);
        if (info == null) {
            info = analyzer.apply(sql);
        }
        if (current.size() >= capacity) {
            synchronized (this) {
                if (young == current) {
                    old = current;
                    young = new ConcurrentHashMap<>();
                }
                current = young;
            }
        }
        current.put(sql, info);
        return info;
    }

    /** {@return how many entries are held now (both generations)} */
    public int size() {
        return young.size() + old.size();
    }
}
