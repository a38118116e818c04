/* Compiled by ExtractGccTest into a relocatable object, read as a module that calls into shapes.c. */
int big_locals(int n);

static __attribute__((noinline)) int mod_helper(int n) {
    volatile char pad[48];
    pad[n & 31] = (char) n;
    return pad[(n + 1) & 31] + big_locals(n);
}

int mod_entry(int n) {
    return mod_helper(n) * 2;
}
