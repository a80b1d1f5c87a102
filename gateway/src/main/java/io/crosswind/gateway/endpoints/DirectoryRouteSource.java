package io.crosswind.gateway.endpoints;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Route tables from a directory of {@code *.json} files (for local runs and tests), watched for
 * changes: a file written, replaced or removed applies at once (inotify on Linux), with a full
 * rescan every {@value #RESCAN_MILLIS} ms as a safety net. Write a file elsewhere and move it in,
 * so that a reader never sees half of it.
 */
public final class DirectoryRouteSource implements RouteTableSource {

  static final long RESCAN_MILLIS = 1000;
  private static final Logger LOG = LoggerFactory.getLogger(DirectoryRouteSource.class);

  private final Path dir;
  private final RouteTableSet tables;
  private volatile boolean synced;
  private volatile boolean closed;
  private WatchService watcher;
  private Thread thread;

  public DirectoryRouteSource(Path dir, EndpointDirectory directory) {
    this.dir = dir;
    this.tables = new RouteTableSet(directory);
  }

  @Override
  public synchronized void start() {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("--routes-dir " + dir + " is not a directory");
    }
    try {
      watcher = dir.getFileSystem().newWatchService();
      dir.register(
          watcher,
          StandardWatchEventKinds.ENTRY_CREATE,
          StandardWatchEventKinds.ENTRY_MODIFY,
          StandardWatchEventKinds.ENTRY_DELETE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot watch " + dir, e);
    }
    rescan();
    synced = true;
    thread = Thread.ofPlatform().daemon().name("routes-dir-watch").start(this::watch);
  }

  private void watch() {
    while (!closed) {
      try {
        var key = watcher.poll(RESCAN_MILLIS, TimeUnit.MILLISECONDS);
        if (key != null) {
          key.pollEvents();
          key.reset();
        }
        rescan();
      } catch (InterruptedException | ClosedWatchServiceException e) {
        return;
      } catch (RuntimeException e) {
        LOG.warn("rescanning {} failed: {}", dir, e.toString());
      }
    }
  }

  /** Reads every table file; the set publishes only what changed. */
  void rescan() {
    Set<String> seen = new HashSet<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        try {
          byte[] content = Files.readAllBytes(file);
          seen.add(name);
          tables.put(name, content);
        } catch (IOException e) {
          // Removed between listing and reading: the next scan sees it gone.
          LOG.debug("cannot read {}: {}", file, e.toString());
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot list {}: {}", dir, e.toString());
      return;
    }
    tables.names().stream().filter(n -> !seen.contains(n)).forEach(tables::remove);
  }

  @Override
  public boolean synced() {
    return synced;
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (watcher != null) {
      try {
        watcher.close();
      } catch (IOException e) {
        LOG.debug("closing the watch of {}: {}", dir, e.toString());
      }
    }
    if (thread != null) {
      thread.interrupt();
    }
  }
}
