package org.semiseg.data.sets;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.semiseg.SemisegException;

/** Maps a function over a list on a few worker threads, results in list order. */
final class Parallel {
    private Parallel() {
    }

    /** Runtime exceptions of {@code f} are rethrown as they are (the first in list order). */
    static <T, R> List<R> map(List<T> items, int threads, Function<T, R> f) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        List<R> results = new ArrayList<>(items.size());
        if (threads == 1 || items.size() <= 1) {
            for (T item : items) {
                results.add(f.apply(item));
            }
            return results;
        }
        AtomicInteger count = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, items.size()), task -> {
            Thread thread = new Thread(task, "semiseg-data-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<R>> futures = new ArrayList<>(items.size());
            for (T item : items) {
                futures.add(pool.submit(() -> f.apply(item)));
            }
            for (Future<R> future : futures) {
                results.add(future.get());
            }
            return results;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SemisegException("interrupted while reading the dataset", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
