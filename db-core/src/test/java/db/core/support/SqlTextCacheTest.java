package db.core.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SqlTextCacheTest {

    @Test
    void staysBoundedUnder100000DistinctStatements() {
        SqlTextCache<Integer> cache = new SqlTextCache<>(1_000, 4_096, String::length);
        for (int i = 0; i < 100_000; i++) {
            String sql = "SELECT * FROM t WHERE id = " + i;
            assertThat(cache.get(sql)).isEqualTo(sql.length());
            assertThat(cache.size()).isLessThanOrEqualTo(2_000);
        }
        assertThat(cache.size()).isGreaterThan(0).isLessThanOrEqualTo(2_000);
    }

    @Test
    void keepsStatementsInSteadyUseWhileOneOffsFlowThrough() {
        AtomicInteger analyzed = new AtomicInteger();
        SqlTextCache<Integer> cache = new SqlTextCache<>(100, 1_000, sql -> {
            analyzed.incrementAndGet();
            return sql.length();
        });
        String hot = "SELECT * FROM hot WHERE id = ?";
        for (int i = 0; i < 10_000; i++) {
            cache.get(hot);
            cache.get("SELECT " + i);
        }
        // the hot statement is analyzed once; every one-off once
        assertThat(analyzed.get()).isEqualTo(10_001);
        assertThat(cache.size()).isLessThanOrEqualTo(200);
    }

    @Test
    void longTextsAreAnalyzedEachTimeButNotCached() {
        AtomicInteger analyzed = new AtomicInteger();
        SqlTextCache<Integer> cache = new SqlTextCache<>(10, 50, sql -> analyzed.incrementAndGet());
        String longSql = "SELECT * FROM t WHERE x = '" + "y".repeat(100) + "'";
        assertThat(cache.get(longSql)).isEqualTo(1);
        assertThat(cache.get(longSql)).isEqualTo(2);
        assertThat(cache.size()).isZero();
    }
}
