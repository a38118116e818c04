package io.dynstack.agent.weave;

import io.dynstack.runtime.WovenMethods;
import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Weaves every method of a kernel class that has code: constructors and static initialisers
 * included, abstract and native methods passed through. The woven methods are collected for the
 * registry; the caller registers them once the class's bytes exist.
 */
public final class KernelClassVisitor extends ClassVisitor {

    private final WeaveConfig config;
    private final CheckSites sites;
    private final List<WovenMethods.Method> woven = new ArrayList<>();
    private String owner;
    private int version;

    public KernelClassVisitor(ClassVisitor next, WeaveConfig config, CheckSites sites) {
        super(Opcodes.ASM9, next);
        this.config = config;
        this.sites = sites;
    }

    @Override
    public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
        this.owner = name;
        this.version = version;
        super.visit(version, access, name, signature, superName, interfaces);
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                     String[] exceptions) {
        MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
        if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
            return next;
        }
        return new MethodWeaver(access, name, descriptor, signature, exceptions, owner, version, config,
                sites.checks(owner, name, descriptor), sites.reflectiveCallBytes(), next, woven::add);
    }

    public List<WovenMethods.Method> woven() {
        return woven;
    }
}
