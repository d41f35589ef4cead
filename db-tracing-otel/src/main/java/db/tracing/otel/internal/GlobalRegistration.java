package db.tracing.otel.internal;

import io.opentelemetry.api.GlobalOpenTelemetry;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.util.function.BooleanSupplier;

/**
 * Whether an instance is registered in {@link GlobalOpenTelemetry}, without calling {@code get()}.
 *
 * <p>{@code GlobalOpenTelemetry.isSet()} only exists from API 1.57.0; Spring Boot 4.0 manages 1.55.0.
 * On older APIs the registration is read from the class's own field, which reflection can reach on
 * the class path (where such applications run); where it cannot (module path, API before 1.57.0),
 * the first use fails with a message naming the version needed, rather than a {@code NoSuchMethodError}.
 */
final class GlobalRegistration {

    /** The first OpenTelemetry API version with {@code GlobalOpenTelemetry.isSet()}. */
    static final String IS_SET_SINCE = "1.57.0";

    private static final BooleanSupplier CHECK = check();

    private GlobalRegistration() {}

    /** Whether an OpenTelemetry instance has been registered globally. */
    static boolean isSet() {
        return CHECK.getAsBoolean();
    }

    private static BooleanSupplier check() {
        try {
            MethodHandle isSet = MethodHandles.publicLookup()
                    .findStatic(GlobalOpenTelemetry.class, "isSet", MethodType.methodType(boolean.class));
            return () -> invoke(isSet);
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return fieldCheck();
        }
    }

    private static BooleanSupplier fieldCheck() {
        try {
            Field global = GlobalOpenTelemetry.class.getDeclaredField("globalOpenTelemetry");
            global.setAccessible(true);
            return () -> read(global);
        } catch (NoSuchFieldException | RuntimeException e) {
            String message = "db-tracing-otel needs OpenTelemetry API " + IS_SET_SINCE
                    + " or newer here (GlobalOpenTelemetry.isSet()); the API on this path is older"
                    + " and its registration cannot be read (" + e + ")";
            return () -> {
                throw new IllegalStateException(message);
            };
        }
    }

    private static boolean invoke(MethodHandle isSet) {
        try {
            return (boolean) isSet.invokeExact();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean read(Field global) {
        try {
            return global.get(null) != null;
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
