package io.dynstack.agent.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynstack.agent.linux.Snapshot.Chain;
import io.dynstack.agent.linux.Snapshot.Frame;
import io.dynstack.agent.linux.Snapshot.Kind;
import io.dynstack.agent.linux.StackPricing.KstackOffset;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A snapshot of the fixture /proc tree ({@link ProcFixture}): every figure worked out by hand there. */
class SnapshotTest {

    private static final Instant AT = Instant.parse("2026-12-01T21:00:00Z");

    @TempDir
    Path dir;

    private Snapshot take(KstackOffset offset) throws IOException {
        return SnapshotCommand.take(ProcStacks.read(ProcFixture.write(dir.resolve("proc"))), ProcFixture.data(), offset, AT);
    }

    private static Chain chain(Snapshot s, String comm) {
        return s.chains().stream().filter(c -> c.comms().contains(comm)).findFirst().orElseThrow();
    }

    @Test
    void pricesEveryThreadOfTheFixtureTree() throws IOException {
        Snapshot s = take(KstackOffset.NONE);
        assertEquals(7, s.threads());
        assertEquals(1, s.threadsUnreadable());
        assertEquals(6, s.chains().size(), "the two kworkers share one chain");
        assertEquals(new Snapshot.Machine(ProcFixture.RELEASE, 2, "2026-12-01T21:00:00Z"), s.machine());
        assertEquals(List.of("kworker/0:1", "kworker/1:0"), chain(s, "kworker/0:1").comms());
        assertEquals(2, chain(s, "kworker/0:1").threads());
        assertEquals(592, chain(s, "kworker/0:1").depth());
        assertEquals(880, chain(s, "java").depth());
        assertEquals(488, chain(s, "reader").depth());
        assertEquals(4704, chain(s, "jbd2/sda1-8").depth());
        assertEquals(352, chain(s, "cat").depth());
        assertEquals(0, chain(s, "(sd-pam)").depth());
        assertTrue(chain(s, "jbd2/sda1-8").kernelThread());
        assertFalse(chain(s, "java").kernelThread());
        assertEquals(List.of(4704, 880, 592, 488, 352, 0), s.chains().stream().map(Chain::depth).toList(),
                "deepest first");
    }

    @Test
    void addsTheSchedulerFramesAndPtRegsThatProcLeavesOut() throws IOException {
        Snapshot s = take(KstackOffset.NONE);
        assertEquals(List.of(
                        new Frame("switch_frame", null, 56, Kind.SWITCH_FRAME),
                        new Frame("__schedule", "__schedule", 120, Kind.SCHEDULER),
                        new Frame("schedule", "schedule", 32, Kind.SCHEDULER),
                        new Frame("worker_thread", "worker_thread", 88, Kind.LISTED),
                        new Frame("kthread", "kthread", 64, Kind.LISTED),
                        new Frame("ret_from_fork", "ret_from_fork", 48, Kind.LISTED),
                        new Frame("ret_from_fork_asm", "ret_from_fork_asm", 16, Kind.LISTED),
                        new Frame("pt_regs", null, 168, Kind.PT_REGS)),
                chain(s, "kworker/0:1").frames());
        List<Frame> reading = chain(s, "cat").frames();
        assertEquals("proc_pid_stack", reading.get(0).name(), "a thread reading /proc runs: no scheduler frames");
        assertTrue(reading.stream().noneMatch(f -> f.kind() == Kind.PT_REGS),
                "entry_SYSCALL_64's 176-byte assembly frame already holds pt_regs");
    }

    @Test
    void resolvesRenamedAndInnerLabelNamesThroughTheAliasTable() throws IOException {
        List<Frame> futex = chain(take(KstackOffset.NONE), "java").frames();
        assertEquals(new Frame("futex_do_wait", "futex_wait_queue", 40, Kind.LISTED), futex.get(3));
        assertEquals(new Frame("entry_SYSCALL_64_after_hwframe", "entry_SYSCALL_64", 176, Kind.LISTED),
                futex.get(futex.size() - 1));
    }

    @Test
    void countsAndListsAnUnknownNameInsteadOfDroppingIt() throws IOException {
        Snapshot s = take(KstackOffset.NONE);
        assertEquals(new Frame("mystery_wait", null, 8, Kind.UNPRICED), chain(s, "reader").frames().get(3));
        assertEquals(Map.of("mystery_wait", 1), SnapshotTable.unpricedNames(s));
    }

    @Test
    void kstackOffsetGoesBelowDoSyscall64OfSyscallChainsOnly() throws IOException {
        Snapshot mean = take(KstackOffset.MEAN);
        assertEquals(880 + 508, chain(mean, "java").depth());
        assertEquals(592, chain(mean, "kworker/0:1").depth(), "kernel threads make no syscall");
        Snapshot worst = take(KstackOffset.WORST);
        assertEquals(880 + 1016, chain(worst, "java").depth());
        assertEquals(352 + 1016, chain(worst, "cat").depth());
        List<Frame> frames = chain(worst, "java").frames();
        assertEquals(new Frame("kstack_offset", null, 1016, Kind.KSTACK_OFFSET), frames.get(frames.size() - 3));
        assertEquals("do_syscall_64", frames.get(frames.size() - 2).name());
    }

    @Test
    void theTableMapsWhatEachDesignWouldMap() throws IOException {
        Snapshot s = take(KstackOffset.NONE);
        Map<String, SnapshotTable.Row> rows = new java.util.HashMap<>();
        SnapshotTable.rows(s).forEach(r -> rows.put(r.design().name(), r));
        assertEquals(7 * 16384, rows.get("fixed-16k").mappedBytes());
        assertEquals(7 * 8192, rows.get("fixed-8k").mappedBytes());
        assertEquals(7 * 4096 + 2 * 4096, rows.get("4k-irq").mappedBytes(), "plus an IRQ stack per CPU");
        assertEquals(1, rows.get("4k-irq").overflows(), "jbd2's 4704 bytes do not fit in 4 KiB");
        assertEquals(0, rows.get("fixed-8k").overflows());
        assertEquals(8 * 4096, rows.get("dynamic-fault").mappedBytes());
        assertFalse(rows.get("dynamic-check").design().exact(), "grows only: the current depth is a lower bound");
        assertEquals(8 * 4096 + 2 * 4096, rows.get("dynamic-check+expand+reserve+park").mappedBytes());
        assertTrue(rows.get("dynamic-check+expand+reserve+park").design().exact());

        String table = SnapshotTable.format(s, 1);
        assertTrue(table.contains("frames from kernel data 6.12.0-fixture: another kernel release than the machine's "
                + ProcFixture.RELEASE), table);
        assertTrue(table.contains("threads: 7 read (3 kernel threads, 4 user threads; 2 runnable (state R), 1 with an"
                + " empty listing), 1 unreadable and left out"), table);
        assertTrue(table.lines().anyMatch(l -> l.matches("dynamic-fault +7 +112 +32 +71\\.43% +0  lower bound.*")), table);
        assertTrue(table.lines().anyMatch(l -> l.matches("4k-irq +7 +112 +36 +67\\.86% +1  exact.*")), table);
        assertTrue(table.contains("  up to  5 KiB       1  "), table);
        assertTrue(table.contains("  4704 bytes: 1 kernel thread in state D: jbd2/sda1-8"), table);
        assertTrue(table.lines().anyMatch(l -> l.matches("  mystery_wait +1 thread")), table);
    }

    @Test
    void theFileReadsBackAsTheSameSnapshot() throws IOException {
        Snapshot s = take(KstackOffset.MEAN);
        Path file = dir.resolve("out/snap.json");
        s.write(file);
        Snapshot back = Snapshot.read(file);
        assertEquals(s, back);
        String json = Files.readString(file);
        assertTrue(json.startsWith("{\"schema_version\":1,\"format\":\"dynstack-snapshot\""), json);
        assertTrue(json.contains("\"kstack_offset\":\"mean\",\"kstack_offset_bytes\":508"), json);
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(file)), "a snapshot is for others to replay");
        assertEquals(List.of(file.getFileName()), Files.list(file.getParent()).map(Path::getFileName).toList(),
                "no temporary file is left beside it");
    }

    @Test
    void theCommandPrintsTheTableAndWritesTheFile() throws IOException {
        Path proc = ProcFixture.write(dir.resolve("proc"));
        Path data = dir.resolve("fixture.kframes.gz");
        ProcFixture.data().write(data);
        Path out = dir.resolve("snap.json");
        Result r = run("--proc", proc.toString(), "--data", data.toString(), "--kstack-offset", "none", "--out",
                out.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("written: " + out), r.out());
        assertEquals(4704, Snapshot.read(out).chains().get(0).depth());
        Result again = run("--from", out.toString(), "--deepest", "0");
        assertEquals(0, again.status(), again.err());
        assertTrue(again.out().lines().anyMatch(l -> l.startsWith("dynamic-fault ") && l.contains(" 32 ")), again.out());
    }

    record Result(int status, String out, String err) {
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = SnapshotCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aTreeWithoutReadableStacksIsOneLineAndNoFile() throws IOException {
        Path proc = dir.resolve("proc");
        Path ghost = proc.resolve("1/task/1");
        Files.createDirectories(ghost.resolve("stack"));
        Files.writeString(ghost.resolve("stat"), "1 (init) S 0 1 1 0 -1 4194560 0 0 0 0\n");
        Path data = dir.resolve("fixture.kframes.gz");
        ProcFixture.data().write(data);
        Path out = dir.resolve("snap.json");
        Result r = run("--proc", proc.toString(), "--data", data.toString(), "--out", out.toString());
        assertEquals(2, r.status());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("dynstack snapshot: could not read any thread's kernel stack under " + proc
                + " (first: 1/1 (init): "), r.err());
        assertTrue(r.err().contains("run as root"), r.err());
        assertFalse(Files.exists(out));
        assertEquals("", r.out());
    }

    @Test
    void aDirectoryWithoutProcessesIsNotAProcTree() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Path data = dir.resolve("fixture.kframes.gz");
        ProcFixture.data().write(data);
        Result r = run("--proc", empty.toString(), "--data", data.toString(), "--out", dir.resolve("s.json").toString());
        assertEquals(2, r.status());
        assertEquals("dynstack snapshot: no processes under " + empty + ": not a /proc tree (give one with --proc DIR)\n",
                r.err());
        assertFalse(Files.exists(dir.resolve("s.json")));
    }

    @Test
    void aDataFileOfAnotherFormatIsOneLine() throws IOException {
        Path proc = ProcFixture.write(dir.resolve("proc"));
        Path notData = dir.resolve("kernel.csv");
        Files.writeString(notData, "name,frame\nschedule,32\n");
        Result r = run("--proc", proc.toString(), "--data", notData.toString(), "--out", dir.resolve("s.json").toString());
        assertEquals(2, r.status());
        assertEquals("dynstack snapshot: " + notData + ": not a kernel data file (first line is not '"
                + KernelData.MAGIC + "'); make one with the extract command\n", r.err());
        assertFalse(Files.exists(dir.resolve("s.json")));
    }

    @Test
    void aSnapshotFileThatIsNotOneIsOneLine() throws IOException {
        Path notJson = dir.resolve("a.json");
        Files.writeString(notJson, "dynstack-kernel-frames 1\n");
        Result r = run("--from", notJson.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("dynstack snapshot: " + notJson + ": not a dynstack snapshot (not JSON: "), r.err());
        assertEquals(1, r.err().lines().count());

        Path report = dir.resolve("report.json");
        Files.writeString(report, "{\"schema_version\":1,\"stacks\":3}");
        r = run("--from", report.toString());
        assertEquals("dynstack snapshot: " + report + ": not a dynstack snapshot (no \"format\": \"dynstack-snapshot\");"
                + " take one with the snapshot command\n", r.err());

        Snapshot s = take(KstackOffset.NONE);
        Path edited = dir.resolve("edited.json");
        Files.writeString(edited, s.toJson().replace("\"depth_bytes\":4704", "\"depth_bytes\":4000"));
        r = run("--from", edited.toString());
        assertEquals("dynstack snapshot: " + edited + ": chain 0: depth_bytes 4000 is not the sum of its frames (4704);"
                + " the file was edited or damaged\n", r.err());

        Path future = dir.resolve("future.json");
        Files.writeString(future, s.toJson().replace("\"schema_version\":1", "\"schema_version\":2"));
        r = run("--from", future.toString());
        assertEquals("dynstack snapshot: " + future + ": snapshot schema_version 2, this dynstack reads 1; take the"
                + " snapshot again with this version\n", r.err());
    }

    @Test
    void badArgumentsAreOneLineWithTheUsage() {
        Result r = run("--kstack-offset", "half");
        assertEquals(2, r.status());
        assertEquals("dynstack snapshot: --kstack-offset takes none, mean or worst, not 'half'; " + SnapshotCommand.USAGE
                + "\n", r.err());
        r = run("--from", "a.json", "--out", "b.json");
        assertEquals("dynstack snapshot: --from prints a saved snapshot and takes no --out; " + SnapshotCommand.USAGE
                + "\n", r.err());
        r = run("--out", dir.toString());
        assertTrue(r.err().startsWith("dynstack snapshot: --out " + dir + ": is a directory; name a file;"), r.err());
    }

    @Test
    void namesAreReadFromEveryLineShape() {
        assertEquals("do_epoll_wait", StackPricing.name("[<0>] do_epoll_wait+0x548/0x5a0"));
        assertEquals("xfsaild", StackPricing.name("[<0>] xfsaild+0x1b3/0x1e0 [xfs]"));
        assertEquals("poll_schedule_timeout.constprop.0", StackPricing.name("[<0>] poll_schedule_timeout.constprop.0+0x30/0x60"));
        assertEquals("0xffffffffc0a01234", StackPricing.name("[<0>] 0xffffffffc0a01234"));
        StackPricing pricing = new StackPricing(ProcFixture.data(), KstackOffset.NONE);
        assertNull(pricing.resolve("mystery_wait"));
        assertEquals("futex_wait_queue", pricing.resolve("futex_do_wait").name());
    }
}
