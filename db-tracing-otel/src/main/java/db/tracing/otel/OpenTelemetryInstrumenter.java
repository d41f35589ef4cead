package db.tracing.otel;

import db.api.spi.Instrumentation;
import db.api.spi.InstrumentationContext;
import db.api.spi.QueryInstrumenter;

/** OpenTelemetry instrumenter. IN PROGRESS. */
public final class OpenTelemetryInstrumenter implements QueryInstrumenter {
    @Override
    public String name() {
        return "opentelemetry";
    }

    @Override
    public Instrumentation open(InstrumentationContext context) {
        return Instrumentation.NOOP;
    }
}
