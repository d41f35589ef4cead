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
 * the class path (where such applications run) and on the module path (the API jars are automatic
 * modules, whose packages are open); where it cannot (a field renamed or removed, access refused), the
 * first use fails with a message naming the version needed, rather than a {@code NoSuchMethodError}.
 */
final class GlobalRegistration {

    /** The first OpenTelemetry API version with {@code GlobalOpenTelemetry.isSet()}. */
    static final String IS_SET_SINCE = "1.57.0";

    /** The static field that holds the registration in the APIs before {@code isSet()}. */
    static final String REGISTRATION_FIELD = "globalOpenTelemetry";

    private static final BooleanSupplier CHECK = check(GlobalOpenTelemetry.class);

    private GlobalRegistration() {}

    /** Whether an OpenTelemetry instance has been registered globally. */
    static boolean isSet() {
        return CHECK.getAsBoolean();
    }

    /**
     * The check for {@code api} (always {@link GlobalOpenTelemetry}, but for the tests, which hand it
     * classes shaped like the older APIs): its {@code isSet()}, else its registration field, else a
     * supplier that fails naming the version needed.
     */
    static BooleanSupplier check(Class<?> api) {
        try {
            MethodHandle isSet = MethodHandles.publicLookup()
                    .findStatic(api, "isSet", MethodType.methodType(boolean.class));
            return () -> invoke(isSet);
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return fieldCheck(api);
        }
    }

    private static BooleanSupplier fieldCheck(Class<?> api) {
        try {
            Field global = api.getDeclaredField(REGISTRATION_FIELD);
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
