package db.tracing.otel.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * How the registration is read on each shape of the OpenTelemetry API, without touching the process-wide
 * {@code GlobalOpenTelemetry}: classes shaped like the APIs before 1.57.0 (a registration field, no
 * {@code isSet()}) and like one where neither can be reached. The real class on 1.55.0 and on the default
 * version is exercised by {@link DeferredInstrumentationTest} (.ci/compat runs it on 1.55.0).
 */
class GlobalRegistrationTest {

    /** An API before 1.57.0: the registration lives in a static field, there is no {@code isSet()}. */
    static final class FieldOnly {
        @SuppressWarnings("unused") // read through reflection, as on the real class
        private static volatile Object globalOpenTelemetry;
    }

    /** An API whose registration cannot be read at all. */
    static final class Neither {}

    @Test
    void withoutIsSetTheRegistrationFieldIsRead() throws ReflectiveOperationException {
        BooleanSupplier check = GlobalRegistration.check(FieldOnly.class);
        assertThat(check.getAsBoolean()).isFalse();
        FieldOnly.class.getDeclaredField(GlobalRegistration.REGISTRATION_FIELD).set(null, new Object());
        try {
            assertThat(check.getAsBoolean()).isTrue();
        } finally {
            FieldOnly.class.getDeclaredField(GlobalRegistration.REGISTRATION_FIELD).set(null, null);
        }
    }

    @Test
    void whereNeitherCanBeReachedTheFailureNamesTheVersionNeeded() {
        BooleanSupplier check = GlobalRegistration.check(Neither.class);
        assertThatThrownBy(check::getAsBoolean).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("db-tracing-otel needs OpenTelemetry API " + GlobalRegistration.IS_SET_SINCE
                        + " or newer")
                .hasMessageContaining("GlobalOpenTelemetry.isSet()");
        assertThat(GlobalRegistration.IS_SET_SINCE).isEqualTo("1.57.0");
    }
}
