package db.api.spi;

import java.util.List;
import java.util.Map;

/**
 * Service interface through which a module declares the configuration keys it reads, so that
 * {@link db.api.DbConfig} knows them: it checks their values when it is built, reads them from the
 * environment, hides the secret ones, and reports any other key under {@code db.} as unknown (with a
 * "did you mean"). A module provides it next to its other services:
 * <pre>{@code
 * public final class AcmeKeys implements ConfigKeySource {
 *     static final ConfigKey<Duration> WARMUP = ConfigKey.duration("db.acme.warmup", Duration.ofSeconds(5));
 *     public List<ConfigKey<?>> configKeys() { return List.of(WARMUP); }
 * }
 * // module-info.java: provides db.api.spi.ConfigKeySource with com.acme.AcmeKeys;
 * // and META-INF/services/db.api.spi.ConfigKeySource for the class path
 * }</pre>
 * {@code DbConfig.builder()} finds sources with {@link java.util.ServiceLoader} (the boot layer and the
 * class path); for modules in another layer use {@code DbConfig.Builder#declareFrom(ModuleLayer)}.
 * Keys of {@code db.api} itself are in {@link db.api.DbKeys}. Declaring a key that another source also
 * declares with the same type is allowed (two pools may read the same key); the first wins.
 *
 * <p>A source may also check the connection parameters the configuration resolves to
 * ({@link #checkParameters}): the engine ({@code db.core}) does so for libpq's TLS rules and for the settings
 * the pgjdbc on the path cannot honour.
 */
public interface ConfigKeySource {

    /** {@return the keys this module reads} */
    List<ConfigKey<?>> configKeys();

    /**
     * Checks, and may complete, the connection parameters of a {@link db.api.DbConfig} being built, after the
     * URL's parameters have been translated to pgjdbc's names: each problem goes to {@code problems} and is
     * reported with every other one in one {@link db.api.ConfigException} (secrets scrubbed, but a message
     * should quote none); what the module needs at connect time may be put into {@code parameters}, which
     * {@link db.api.DbConfig#urlParameters()} then shows and the driver receives. Sources run in the order
     * they are found, each class once; the default checks nothing.
     *
     * @param parameters the connection parameters in pgjdbc's names; modifiable
     * @param problems   where to add each problem, one sentence starting with the key concerned
     *                   ({@code db.url: ...})
     */
    default void checkParameters(Map<String, String> parameters, List<String> problems) {
    }
}
