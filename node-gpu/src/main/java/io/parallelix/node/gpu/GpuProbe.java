package io.parallelix.node.gpu;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Looks for an NVIDIA GPU and the CUDA 12 / cuDNN 9 libraries ORT's CUDA provider needs, without
 * loading CUDA and without failing where there is none. Devices come from nvidia-smi (bounded
 * wait) or /proc/driver/nvidia; libraries from LD_LIBRARY_PATH, the ldconfig cache and
 * /usr/local/cuda*.
 */
public final class GpuProbe {
    /**
     * What libonnxruntime_providers_cuda.so 1.29 needs: linked (libcuda, cudart, cublas, cublasLt,
     * curand) or loaded on first use (cufft, cudnn).
     */
    public static final List<String> CUDA_LIBRARIES = List.of(
            "libcuda.so.1",
            "libcudart.so.12",
            "libcublas.so.12",
            "libcublasLt.so.12",
            "libcurand.so.10",
            "libcufft.so.11",
            "libcudnn.so.9");

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern LDCONFIG_LINE = Pattern.compile("^\\s*(\\S+) \\(.*\\) => (\\S+)\\s*$");

    /**
     * libraries: soname -> where it was found (empty if not). totalMemoryBytes sums every device.
     * computeCapabilities: per device, as nvidia-smi reports them ("9.0"); empty when unknown.
     */
    public record Report(
            List<String> devices,
            @Nullable String driverVersion,
            long totalMemoryBytes,
            Map<String, Optional<Path>> libraries,
            List<String> computeCapabilities) {

        public Report {
            devices = List.copyOf(devices);
            libraries = Collections.unmodifiableMap(new LinkedHashMap<>(libraries));
            computeCapabilities = List.copyOf(computeCapabilities);
        }

        public Report(
                List<String> devices,
                @Nullable String driverVersion,
                long totalMemoryBytes,
                Map<String, Optional<Path>> libraries) {
            this(devices, driverVersion, totalMemoryBytes, libraries, List.of());
        }

        public boolean gpuPresent() {
            return !devices.isEmpty();
        }

        /** Only tests call it (to skip on CUDA hosts); kept as the summary of {@code libraries}, like gpuPresent(). */
        public boolean cudaLibrariesPresent() {
            return libraries.values().stream().allMatch(Optional::isPresent);
        }
    }

    private final CommandRunner commands;
    private final @Nullable String ldLibraryPath;
    private final List<Path> libraryDirs;
    private final Path procDriver;

    /** Probes this host. */
    public GpuProbe() {
        this(
                CommandRunner.SYSTEM,
                System.getenv("LD_LIBRARY_PATH"),
                defaultLibraryDirs(Path.of("/usr/local")),
                Path.of("/proc/driver/nvidia"));
    }

    GpuProbe(CommandRunner commands, @Nullable String ldLibraryPath, List<Path> libraryDirs, Path procDriver) {
        this.commands = commands;
        this.ldLibraryPath = ldLibraryPath;
        this.libraryDirs = List.copyOf(libraryDirs);
        this.procDriver = procDriver;
    }

    public Report probe() {
        Devices devices = nvidiaSmi().or(this::procDevices).orElse(new Devices(List.of(), null, 0));
        Map<String, Path> cache = ldconfigCache();
        Map<String, Optional<Path>> libraries = new LinkedHashMap<>();
        for (String soname : CUDA_LIBRARIES) {
            libraries.put(soname, locate(soname, cache));
        }
        List<String> capabilities = devices.names().isEmpty() ? List.of() : computeCapabilities();
        return new Report(devices.names(), devices.driver(), devices.memoryBytes(), libraries, capabilities);
    }

    /**
     * A query of its own: drivers before 510 know no compute_cap field and would fail the device
     * query with it. Every line must read "major.minor", else nothing is reported.
     */
    private List<String> computeCapabilities() {
        List<String> lines = commands.run(
                        List.of("nvidia-smi", "--query-gpu=compute_cap", "--format=csv,noheader"), COMMAND_TIMEOUT)
                .map(out ->
                        out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList())
                .orElse(List.of());
        return lines.stream().allMatch(l -> l.matches("[0-9]{1,3}\\.[0-9]{1,3}")) ? lines : List.of();
    }

    private record Devices(List<String> names, @Nullable String driver, long memoryBytes) {}

    private Optional<Devices> nvidiaSmi() {
        return commands.run(
                        List.of(
                                "nvidia-smi",
                                "--query-gpu=name,memory.total,driver_version",
                                "--format=csv,noheader,nounits"),
                        COMMAND_TIMEOUT)
                .map(NvidiaSmi::parse)
                .filter(d -> !d.names().isEmpty())
                .map(d -> new Devices(d.names(), d.driver(), d.memoryBytes()));
    }

    private Optional<Devices> procDevices() {
        try {
            Path version = procDriver.resolve("version");
            if (!Files.isReadable(version)) {
                return Optional.empty();
            }
            Matcher m = Pattern.compile("Kernel Module\\s+(\\S+)").matcher(Files.readString(version));
            String driver = m.find() ? m.group(1) : null;
            List<String> names = new ArrayList<>();
            Path gpus = procDriver.resolve("gpus");
            if (Files.isDirectory(gpus)) {
                try (Stream<Path> dirs = Files.list(gpus)) {
                    for (Path dir : dirs.sorted().toList()) {
                        Matcher model = Pattern.compile("(?m)^Model:\\s*(.+?)\\s*$")
                                .matcher(Files.readString(dir.resolve("information")));
                        names.add(model.find() ? model.group(1) : "NVIDIA GPU");
                    }
                }
            }
            return Optional.of(new Devices(names, driver, 0));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private Map<String, Path> ldconfigCache() {
        Map<String, Path> cache = new LinkedHashMap<>();
        String out = commands.run(List.of("/sbin/ldconfig", "-p"), COMMAND_TIMEOUT)
                .or(() -> commands.run(List.of("ldconfig", "-p"), COMMAND_TIMEOUT))
                .orElse("");
        for (String line : out.lines().toList()) {
            Matcher m = LDCONFIG_LINE.matcher(line);
            if (m.matches()) {
                cache.putIfAbsent(m.group(1), Path.of(m.group(2)));
            }
        }
        return cache;
    }

    private Optional<Path> locate(String soname, Map<String, Path> cache) {
        List<Path> dirs = new ArrayList<>();
        if (ldLibraryPath != null) {
            Pattern.compile(Pattern.quote(File.pathSeparator))
                    .splitAsStream(ldLibraryPath)
                    .filter(dir -> !dir.isBlank())
                    .forEach(dir -> dirs.add(Path.of(dir)));
        }
        for (Path dir : dirs) {
            if (Files.exists(dir.resolve(soname))) {
                return Optional.of(dir.resolve(soname));
            }
        }
        Path cached = cache.get(soname);
        if (cached != null && Files.exists(cached)) {
            return Optional.of(cached);
        }
        return libraryDirs.stream()
                .map(dir -> dir.resolve(soname))
                .filter(Files::exists)
                .findFirst();
    }

    /** /usr/local/cuda*: lib64 and targets/x86_64-linux/lib of each, then Debian's multiarch dir. */
    static List<Path> defaultLibraryDirs(Path usrLocal) {
        List<Path> dirs = new ArrayList<>();
        try (Stream<Path> entries = Files.list(usrLocal)) {
            for (Path cuda : entries.filter(p -> p.getFileName().toString().startsWith("cuda"))
                    .sorted()
                    .toList()) {
                dirs.add(cuda.resolve("lib64"));
                dirs.add(cuda.resolve("targets/x86_64-linux/lib"));
            }
        } catch (IOException | RuntimeException e) {
            // no /usr/local: nothing to add
        }
        dirs.add(Path.of("/usr/lib/x86_64-linux-gnu"));
        return dirs;
    }
}
