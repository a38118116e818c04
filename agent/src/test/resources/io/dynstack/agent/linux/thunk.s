    .text
    .globl __x86_indirect_thunk_rax
    .type __x86_indirect_thunk_rax, @function
__x86_indirect_thunk_rax:
    jmp *%rax
    .size __x86_indirect_thunk_rax, . - __x86_indirect_thunk_rax
    .section .note.GNU-stack,"",@progbits
