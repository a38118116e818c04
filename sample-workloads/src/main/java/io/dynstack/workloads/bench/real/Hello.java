package io.dynstack.workloads.bench.real;

/** The start-up program of the side-by-side benchmark: all it does is load, be woven and print. */
public final class Hello {

    private Hello() {
    }

    public static void main(String[] args) {
        System.out.println("hello, world");
    }
}
