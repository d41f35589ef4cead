package db.tracing.otel.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SqlInfoCacheTest {

    @Test
    void staysBoundedUnder100000DistinctStatements() {
        SqlInfoCache<SqlInfo> cache = SqlInfoCache.standard();
        for (int i = 0; i < 100_000; i++) {
            SqlInfo info = cache.get("SELECT * FROM t WHERE id = " + i);
            assertThat(info.summary()).isEqualTo("SELECT t");
            assertThat(cache.size()).isLessThanOrEqualTo(2_000);
        }
        assertThat(cache.size()).isGreaterThan(0).isLessThanOrEqualTo(2_000);
    }

    @Test
    void keepsStatementsInSteadyUseWhileOneOffsFlowThrough() {
        AtomicInteger analyzed = new AtomicInteger();
        SqlInfoCache<SqlInfo> cache = new SqlInfoCache<>(100, 1_000, sql -> {
            analyzed.incrementAndGet();
            return SqlAnalyzer.analyze(sql);
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
    void longTextsAreAnalyzedButNotCached() {
        SqlInfoCache<SqlInfo> cache = new SqlInfoCache<>(10, 50, SqlAnalyzer::analyze);
        String longSql = "SELECT * FROM t WHERE x = '" + "y".repeat(100) + "'";
        assertThat(cache.get(longSql).sanitized()).isEqualTo("SELECT * FROM t WHERE x = ?");
        assertThat(cache.size()).isZero();
    }
}
