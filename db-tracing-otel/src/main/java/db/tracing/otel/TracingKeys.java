package db.tracing.otel;

import db.api.spi.ConfigKey;
import db.api.spi.ConfigKeySource;
import db.tracing.otel.internal.TracingOptions;
import java.time.Duration;
import java.util.List;

/** The {@code db.tracing.*} keys this module reads, declared so that {@code DbConfig} checks them at build. */
public final class TracingKeys implements ConfigKeySource {
    /** {@link OpenTelemetryInstrumenter#QUERY_TEXT}. */
    public static final ConfigKey<Boolean> QUERY_TEXT = ConfigKey.flag(OpenTelemetryInstrumenter.QUERY_TEXT, true);
    /** {@link OpenTelemetryInstrumenter#REQUIRE_PARENT}. */
    public static final ConfigKey<Boolean> REQUIRE_PARENT = ConfigKey.flag(OpenTelemetryInstrumenter.REQUIRE_PARENT, false);
    /** {@link OpenTelemetryInstrumenter#SQL_COMMENTER}. */
    public static final ConfigKey<Boolean> SQL_COMMENTER = ConfigKey.flag(OpenTelemetryInstrumenter.SQL_COMMENTER, false);
    /** {@link OpenTelemetryInstrumenter#SLOW_CHECKOUT}. */
    public static final ConfigKey<Duration> SLOW_CHECKOUT = ConfigKey.duration(OpenTelemetryInstrumenter.SLOW_CHECKOUT,
            TracingOptions.DEFAULT_SLOW_CHECKOUT);
    /** {@link OpenTelemetryInstrumenter#CHECKOUT_SPANS}. */
    public static final ConfigKey<Boolean> CHECKOUT_SPANS = ConfigKey.flag(OpenTelemetryInstrumenter.CHECKOUT_SPANS, false);
    /** {@link OpenTelemetryInstrumenter#TRANSACTIONS}. */
    public static final ConfigKey<Boolean> TRANSACTIONS = ConfigKey.flag(OpenTelemetryInstrumenter.TRANSACTIONS, false);

    /** Used by {@link java.util.ServiceLoader}. */
    public TracingKeys() {
        // declarations only
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return List.of(QUERY_TEXT, REQUIRE_PARENT, SQL_COMMENTER, SLOW_CHECKOUT, CHECKOUT_SPANS, TRANSACTIONS);
    }
}
