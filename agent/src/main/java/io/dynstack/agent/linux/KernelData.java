package io.dynstack.agent.linux;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * A kernel's functions as the extractor read them from its vmlinux (and modules): the frame of
 * each, its locals, its direct callees and how many indirect calls it makes. The one format that
 * the extractor writes and the import, the analysis and the snapshot read.
 *
 * <p>The file is gzip-compressed UTF-8 text, written deterministically (the same input gives the
 * same bytes):
 *
 * <pre>
 * dynstack-kernel-frames 1
 * release 6.12.117+deb12-cloud-amd64
 * package linux-image-6.12.117+deb12-cloud-amd64-dbg 6.12.117-1~deb12u1 sha256:...
 * source vmlinux sha256:...
 * orc 6.4
 * functions 62000
 * body sha256:...
 * columns name module full locals flags indirect calls tailcalls
 * __x64_sys_read vmlinux 24 0 - 0 8812 -
 * ...
 * </pre>
 *
 * <p>Rows follow the header, sorted by name; a row's position (from 0) is its index, which
 * {@code calls} and {@code tailcalls} use: ascending, comma-separated, {@code -} for none.
 * {@code body} is the SHA-256 of the rows' bytes, so a header that does not match its content is
 * caught. Names are the symbol names {@code /proc/PID/stack} prints: {@code .cold} parts are merged
 * into their parent; {@code .isra.N}, {@code .constprop.N} and {@code .part.N} variants are rows of
 * their own, found from the base name by {@link #lookup}; a second local symbol of the same name
 * (two static functions in different files) becomes {@code name~2}, and so on in address order.
 */
public record KernelData(Header header, List<Function> functions) {

    public static final String MAGIC = "dynstack-kernel-frames 1";
    static final String COLUMNS = "name module full locals flags indirect calls tailcalls";
    /** The suffix that tells apart local functions sharing one name. */
    public static final char DUPLICATE = '~';

    /**
     * Where the data came from.
     *
     * @param release   the kernel release, as {@code uname -r} prints it
     * @param pkg       the Debian package, its version and checksum, or {@code -}
     * @param sources   each ELF file read ({@code vmlinux} or a module name) and its checksum
     * @param orcLayout the ORC entry layout read ({@code 4.14} or {@code 6.4}), or {@code none}
     */
    public record Header(String release, String pkg, List<String> sources, String orcLayout) {
    }

    public enum Flag {
        /** No call-frame information covers it: hand-written assembly. */
        ASSEMBLY('a'),
        /** Its frame is tracked through rbp, so the stack offset is known only in part. */
        LOWER_BOUND('l'),
        /** It moves sp by an amount known only at run time (alloca, stack-offset randomisation). */
        VARIABLE('v'),
        /** It realigns sp ({@code and $-N,%rsp}): up to N - 8 more bytes than counted. */
        REALIGNED('r'),
        /** Neither ORC nor CFI nor its prologue told its frame: counted as a return address only. */
        UNKNOWN('u');

        public final char letter;

        Flag(char letter) {
            this.letter = letter;
        }
    }

    /**
     * One kernel function.
     *
     * @param full      the most its frame ever takes, return address included, in bytes
     * @param locals    its {@code sub $N,%rsp} area: what STACKLEAK's plugin compares with its
     *                  threshold ({@code get_frame_size()}), without return address and saved registers
     * @param indirect  its indirect call sites (retpoline thunks, pv_ops, static calls, {@code call *})
     * @param calls     indices of the functions it calls directly
     * @param tailCalls indices of the functions it jumps to in tail position
     */
    public record Function(String name, String module, int full, int locals, Set<Flag> flags, int indirect,
                           int[] calls, int[] tailCalls) {

        public boolean has(Flag flag) {
            return flags.contains(flag);
        }
    }

    /** A file that is not kernel data, or data whose header and content disagree. */
    public static final class FormatException extends IOException {
        public FormatException(String message) {
            super(message);
        }
    }

    public KernelData {
        functions = List.copyOf(functions);
    }

    public Function function(int index) {
        return functions.get(index);
    }

    /** The row index of each name. */
    public Map<String, Integer> indexByName() {
        Map<String, Integer> index = new HashMap<>(functions.size() * 2);
        for (int i = 0; i < functions.size(); i++) {
            index.put(functions.get(i).name(), i);
        }
        return index;
    }

    /**
     * The function a stack trace's name stands for: the row of that name; else, for a name with a
     * compiler suffix ({@code .isra.0}, {@code .cold}), its base; else, for a base name, its variants
     * and same-named locals, the one with the largest frame (a trace does not say which was meant,
     * and the larger one keeps the figures on the safe side). Null if none.
     */
    public Function lookup(String name, Map<String, Integer> indexByName) {
        Integer exact = indexByName.get(name);
        if (exact != null) {
            return functions.get(exact);
        }
        String base = baseName(name);
        Function best = null;
        if (!base.equals(name) && indexByName.containsKey(base)) {
            best = functions.get(indexByName.get(base));
        }
        for (Function candidate : variants(base)) {
            if (best == null || candidate.full() > best.full()) {
                best = candidate;
            }
        }
        return best;
    }

    private List<Function> variants(String base) {
        int from = lowerBound(base);
        List<Function> found = new ArrayList<>();
        for (int i = from; i < functions.size(); i++) {
            String name = functions.get(i).name();
            if (!name.startsWith(base)) {
                break;
            }
            if (name.length() > base.length() && baseName(name).equals(base)) {
                found.add(functions.get(i));
            }
        }
        return found;
    }

    private int lowerBound(String name) {
        int lo = 0;
        int hi = functions.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (functions.get(mid).name().compareTo(name) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The name without GCC's clone suffixes and the duplicate marker: {@code foo.isra.0~2} is {@code foo}. */
    public static String baseName(String name) {
        int duplicate = name.indexOf(DUPLICATE);
        String base = duplicate < 0 ? name : name.substring(0, duplicate);
        int dot = base.indexOf('.');
        return dot <= 0 ? base : base.substring(0, dot);
    }

    /** Writes the file through a temporary sibling, so that a failed write leaves no half file. */
    public void write(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                out.write(encode());
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IOException(file + ": cannot write (" + e.getMessage() + ")", e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The uncompressed text of the file. */
    public byte[] encode() {
        byte[] body = body();
        StringBuilder head = new StringBuilder();
        head.append(MAGIC).append('\n');
        head.append("release ").append(header.release()).append('\n');
        head.append("package ").append(header.pkg()).append('\n');
        for (String source : header.sources()) {
            head.append("source ").append(source).append('\n');
        }
        head.append("orc ").append(header.orcLayout()).append('\n');
        head.append("functions ").append(functions.size()).append('\n');
        head.append("body sha256:").append(sha256(body)).append('\n');
        head.append("columns ").append(COLUMNS).append('\n');
        byte[] top = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] all = Arrays.copyOf(top, top.length + body.length);
        System.arraycopy(body, 0, all, top.length, body.length);
        return all;
    }

    private byte[] body() {
        StringBuilder rows = new StringBuilder(functions.size() * 64);
        for (Function f : functions) {
            rows.append(f.name()).append(' ').append(f.module()).append(' ').append(f.full()).append(' ')
                    .append(f.locals()).append(' ').append(flagText(f.flags())).append(' ').append(f.indirect())
                    .append(' ');
            indices(rows, f.calls());
            rows.append(' ');
            indices(rows, f.tailCalls());
            rows.append('\n');
        }
        return rows.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void indices(StringBuilder out, int[] indices) {
        if (indices.length == 0) {
            out.append('-');
            return;
        }
        for (int i = 0; i < indices.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(indices[i]);
        }
    }

    static String flagText(Set<Flag> flags) {
        if (flags.isEmpty()) {
            return "-";
        }
        StringBuilder text = new StringBuilder();
        for (Flag flag : Flag.values()) {
            if (flags.contains(flag)) {
                text.append(flag.letter);
            }
        }
        return text.toString();
    }

    /** Reads a data file, compressed or not; any defect is a {@link FormatException} naming the line. */
    public static KernelData read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /** Reads from a stream (a class-path resource, say); {@code name} is used in messages. */
    public static KernelData read(InputStream raw, String name) throws IOException {
        byte[] bytes = raw.readAllBytes();
        if (bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
            try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
                bytes = in.readAllBytes();
            } catch (ZipException e) {
                throw new FormatException(name + ": not a kernel data file (corrupt gzip: " + e.getMessage() + ")");
            }
        }
        return decode(bytes, name);
    }

    static KernelData decode(byte[] bytes, String name) throws FormatException {
        int at = 0;
        Map<String, List<String>> fields = new LinkedHashMap<>();
        int line = 0;
        String first = null;
        while (at < bytes.length) {
            int end = lineEnd(bytes, at);
            String text = new String(bytes, at, end - at, StandardCharsets.UTF_8);
            at = Math.min(end + 1, bytes.length);
            line++;
            if (line == 1) {
                first = text;
                if (!text.equals(MAGIC)) {
                    throw new FormatException(name + ": not a kernel data file (first line is not '" + MAGIC
                            + "'); make one with the extract command");
                }
                continue;
            }
            int space = text.indexOf(' ');
            String key = space < 0 ? text : text.substring(0, space);
            fields.computeIfAbsent(key, k -> new ArrayList<>()).add(space < 0 ? "" : text.substring(space + 1));
            if (key.equals("columns")) {
                break;
            }
        }
        if (first == null) {
            throw new FormatException(name + ": empty file, not kernel data");
        }
        if (!List.of(COLUMNS).equals(fields.get("columns"))) {
            throw new FormatException(name + ": header has no 'columns " + COLUMNS + "' line");
        }
        for (String key : List.of("release", "package", "orc", "functions", "body")) {
            if (fields.get(key) == null || fields.get(key).size() != 1) {
                throw new FormatException(name + ": header needs exactly one '" + key + "' line");
            }
        }
        byte[] body = Arrays.copyOfRange(bytes, at, bytes.length);
        String expected = fields.get("body").get(0);
        if (!expected.equals("sha256:" + sha256(body))) {
            throw new FormatException(name + ": the rows do not match the header's body checksum; the file is damaged,"
                    + " regenerate it");
        }
        int count;
        try {
            count = Integer.parseInt(fields.get("functions").get(0));
        } catch (NumberFormatException e) {
            throw new FormatException(name + ": 'functions' is not a number");
        }
        List<Function> functions = new ArrayList<>(count);
        int rowStart = 0;
        while (rowStart < body.length) {
            int end = lineEnd(body, rowStart);
            line++;
            functions.add(row(new String(body, rowStart, end - rowStart, StandardCharsets.UTF_8), name, line, count));
            rowStart = end + 1;
        }
        if (functions.size() != count) {
            throw new FormatException(name + ": header says " + count + " functions, the file has " + functions.size());
        }
        Header header = new Header(fields.get("release").get(0), fields.get("package").get(0),
                fields.getOrDefault("source", List.of()), fields.get("orc").get(0));
        return new KernelData(header, functions);
    }

    private static Function row(String text, String file, int line, int count) throws FormatException {
        String[] parts = text.split(" ", -1);
        if (parts.length != 8) {
            throw new FormatException(file + ":" + line + ": expected 8 columns (" + COLUMNS + "), found " + parts.length);
        }
        try {
            return new Function(parts[0], parts[1], Integer.parseInt(parts[2]), Integer.parseInt(parts[3]),
                    flags(parts[4]), Integer.parseInt(parts[5]), indices(parts[6], count), indices(parts[7], count));
        } catch (IllegalArgumentException e) {
            throw new FormatException(file + ":" + line + ": " + e.getMessage());
        }
    }

    private static Set<Flag> flags(String text) {
        if (text.equals("-")) {
            return Collections.emptySet();
        }
        EnumSet<Flag> flags = EnumSet.noneOf(Flag.class);
        outer:
        for (char c : text.toCharArray()) {
            for (Flag flag : Flag.values()) {
                if (flag.letter == c) {
                    flags.add(flag);
                    continue outer;
                }
            }
            throw new IllegalArgumentException("unknown flag '" + c + "'");
        }
        return Collections.unmodifiableSet(flags);
    }

    private static int[] indices(String text, int count) {
        if (text.equals("-")) {
            return new int[0];
        }
        String[] parts = text.split(",");
        int[] indices = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            indices[i] = Integer.parseInt(parts[i]);
            if (indices[i] < 0 || indices[i] >= count) {
                throw new IllegalArgumentException("function index " + indices[i] + " out of range");
            }
        }
        return indices;
    }

    private static int lineEnd(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return bytes.length;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
