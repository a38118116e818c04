/* Compiled by ExtractGccTest: one function of each shape the extractor must read. */
typedef int (*op_t)(int);
void sink(volatile char *p);
int is_odd(int n);

__attribute__((noinline)) int big_locals(int n) {
    volatile char buf[200];
    buf[n & 127] = (char) n;
    sink(buf);
    return buf[(n + 1) & 127];
}

__attribute__((noinline)) int pushes_only(int a, int b, int c) {
    int x = big_locals(a);
    int y = big_locals(b);
    int z = big_locals(c);
    return x * y + z;
}

__attribute__((noinline)) int tail_caller(int n) {
    return big_locals(n + 1);
}

__attribute__((noinline)) int through_pointer(op_t op, int n) {
    return op(n) + 1;
}

__attribute__((noinline)) int is_even(int n) {
    return n == 0 ? 1 : is_odd(n - 1) * 3;
}

__attribute__((noinline)) int is_odd(int n) {
    return n == 0 ? 0 : is_even(n - 1) * 5;
}

__attribute__((noinline)) void sink(volatile char *p) {
    __asm__ volatile("" : : "r"(p) : "memory");
}

void _start(void) {
    through_pointer(tail_caller, pushes_only(1, 2, 3));
    is_even(4);
    for (;;) {
    }
}
