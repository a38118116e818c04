package io.dynstack.agent.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads every thread's kernel call chain from a /proc tree: {@code PID/task/TID/stack} (root
 * only) and {@code PID/task/TID/stat} (name, state, flags). Two small reads per thread, so
 * thousands of threads take well under a second.
 */
final class ProcStacks {

    /** PF_KTHREAD in include/linux/sched.h: the thread never runs user code. */
    static final long PF_KTHREAD = 0x00200000;

    /**
     * One thread as /proc shows it.
     *
     * @param state the state letter from stat: {@code R} running, {@code S}/{@code D}/{@code I}/... in the scheduler
     * @param lines the stack file's lines, innermost first
     */
    record ProcThread(int pid, int tid, String comm, String state, boolean kernelThread, List<String> lines) {
    }

    /**
     * @param unreadable one entry per thread whose stack could not be read: {@code pid/tid (comm): reason}
     */
    record Reading(String release, int cpus, List<ProcThread> threads, List<String> unreadable) {
    }

    /** A /proc tree that gives no stacks at all. */
    static final class ProcException extends IOException {
        ProcException(String message) {
            super(message);
        }
    }

    private ProcStacks() {
    }

    static Reading read(Path proc) throws ProcException {
        if (!Files.isDirectory(proc)) {
            throw new ProcException("no /proc at " + proc + ": snapshot reads Linux's /proc (give another with --proc DIR)");
        }
        List<ProcThread> threads = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        int processes = 0;
        for (Path pidDir : numbered(proc)) {
            processes++;
            for (Path taskDir : numbered(pidDir.resolve("task"))) {
                readThread(pidDir, taskDir, threads, unreadable);
            }
        }
        if (processes == 0) {
            throw new ProcException("no processes under " + proc + ": not a /proc tree (give one with --proc DIR)");
        }
        if (threads.isEmpty()) {
            throw new ProcException("could not read any thread's kernel stack under " + proc + " (first: "
                    + (unreadable.isEmpty() ? "no threads" : unreadable.get(0))
                    + "): the stack files are readable by root only, on Linux; run as root");
        }
        return new Reading(release(proc), cpus(proc), threads, unreadable);
    }

    private static void readThread(Path pidDir, Path taskDir, List<ProcThread> threads, List<String> unreadable) {
        int pid = Integer.parseInt(pidDir.getFileName().toString());
        int tid = Integer.parseInt(taskDir.getFileName().toString());
        String stat;
        try {
            stat = Files.readString(taskDir.resolve("stat"), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            return; // the thread ended after the directory was listed: not part of this moment
        } catch (IOException e) {
            unreadable.add(pid + "/" + tid + ": " + reason(e));
            return;
        }
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        String[] after = close < 0 ? new String[0] : stat.substring(close + 1).trim().split(" ");
        if (open < 0 || after.length < 7) {
            unreadable.add(pid + "/" + tid + ": stat is not in the kernel's format");
            return;
        }
        String comm = stat.substring(open + 1, close);
        long flags;
        try {
            flags = Long.parseLong(after[6]);
        } catch (NumberFormatException e) {
            unreadable.add(pid + "/" + tid + " (" + comm + "): stat is not in the kernel's format");
            return;
        }
        List<String> lines;
        try {
            lines = Files.readString(taskDir.resolve("stack"), StandardCharsets.ISO_8859_1).lines()
                    .filter(l -> !l.isBlank()).toList();
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            unreadable.add(pid + "/" + tid + " (" + comm + "): " + reason(e));
            return;
        }
        threads.add(new ProcThread(pid, tid, comm, after[0], (flags & PF_KTHREAD) != 0, lines));
    }

    private static String reason(IOException e) {
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getFile() + ": " + fs.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static List<Path> numbered(Path dir) {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path p : entries) {
                found.add(p);
            }
        } catch (IOException e) {
            return found; // a process that ended while being listed
        }
        found.sort((a, b) -> Long.compare(Long.parseLong(a.getFileName().toString()),
                Long.parseLong(b.getFileName().toString())));
        return found;
    }

    private static String release(Path proc) {
        try {
            return Files.readString(proc.resolve("sys/kernel/osrelease")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The cpuN lines of /proc/stat; a tree without them counts as one CPU. */
    private static int cpus(Path proc) {
        try {
            int cpus = (int) Files.readAllLines(proc.resolve("stat")).stream().filter(l -> l.matches("cpu\\d+ .*")).count();
            return Math.max(1, cpus);
        } catch (IOException e) {
            return 1;
        }
    }
}
