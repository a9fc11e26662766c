package org.uso4j.bench.jmh;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Work counters JMH reports next to the throughput: a benchmark adds the GFLOP (compute-bound kernels) or GB moved
 * (memory-bound kernels) of each call, and JMH prints them per second, i.e. as GFLOP/s and GB/s.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Flops {
    /** GFLOP done in this iteration (multiply-add = 2). */
    public double gflop;
    /** GB read plus written in this iteration. */
    public double gbytes;

    @Setup(Level.Iteration)
    public void clear() {
        gflop = 0;
        gbytes = 0;
    }
}
