package db.moduletests;

import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Builds child {@link ModuleLayer}s from a set of module jars or folders, the way an application
 * server or a plugin host would, so a test can open a {@link db.api.Database} against a chosen set
 * of provider modules in one JVM.
 */
public final class Layers {
    private Layers() {
    }

    /**
     * A layer on top of the boot layer holding the modules found at {@code paths}, resolved with
     * service binding so the providers among them are bound to {@code db.api}'s {@code uses}.
     * All modules share one class loader, as c3p0 and pgjdbc expect.
     */
    public static ModuleLayer of(Collection<Path> paths) {
        ModuleFinder finder = ModuleFinder.of(paths.toArray(Path[]::new));
        Set<String> roots = finder.findAll().stream()
                .map(reference -> reference.descriptor().name())
                .collect(Collectors.toSet());
        ModuleLayer boot = ModuleLayer.boot();
        Configuration configuration = boot.configuration().resolveAndBind(finder, ModuleFinder.of(), roots);
        return boot.defineModulesWithOneLoader(configuration, ClassLoader.getSystemClassLoader());
    }
}
