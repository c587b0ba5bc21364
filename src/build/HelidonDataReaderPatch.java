import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeModel;
import java.lang.classfile.Instruction;
import java.lang.classfile.Label;
import java.lang.classfile.MethodModel;
import java.lang.classfile.Opcode;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipFile;

/**
 * Build step (pom.xml, {@code process-classes}): writes a patched copy of Helidon's
 * {@code io.helidon.common.buffers.DataReader} into {@code target/classes}, where it comes before
 * Helidon's jar on every class path (tests) and replaces Helidon's copy in the shaded jar (the
 * shade filter excludes the original). Run with the JDK 25 that builds:
 * {@code java src/build/HelidonDataReaderPatch.java HELIDON_COMMON_BUFFERS_JAR OUTPUT_DIR}.
 *
 * <p><b>Why</b> (issue 16, the open-loop tail): {@code DataReader} keeps a connection's incoming
 * bytes in a linked list and drops a consumed node with {@code head = head.next}, leaving the
 * dropped node's {@code next} set. Once one node of a kept-alive connection has reached the old
 * generation (a connection idle over 15 young collections, or any live head at a serial full
 * collection), every later node of that connection stays reachable from that dead node and is
 * promoted in turn ("GC nepotism"): the old generation fills with request bytes at the request
 * rate and a 33-50 ms full collection empties it every 1-2 s under load (each one a burst of
 * late requests in the open-loop tail). The patch changes one method, {@code ensureAvailable()}, to clear {@code next} of the
 * node it drops; nothing else in the class reads a node before {@code head}.
 *
 * <p><b>Guard</b>: the step refuses to patch (and fails the build) unless the method's
 * instructions are exactly those of helidon-common-buffers 4.5.0. A Helidon upgrade that changes
 * the class stops the build here: check whether upstream now clears {@code next}; if it does,
 * delete this step, its pom execution and the shade filter; if not, update the expected
 * instructions. {@code HelidonDataReaderPatchTest} proves the patched class is the one loaded.
 *
 * <p>An IDE that builds without Maven leaves Helidon's class in place ({@code HelidonDataReaderPatchTest}
 * fails there); {@code ./mvnw process-classes} writes the patched one.
 *
 * <p>The JDK's own class-file API ({@code java.lang.classfile}, final in JDK 24) writes the
 * method; this file holds none of Helidon's code.
 */
public final class HelidonDataReaderPatch {
    static final String CLASS = "io/helidon/common/buffers/DataReader";
    static final ClassDesc READER = ClassDesc.ofInternalName(CLASS);
    static final ClassDesc NODE = ClassDesc.ofInternalName(CLASS + "$Node");
    static final MethodTypeDesc VOID = MethodTypeDesc.of(ConstantDescs.CD_void);

    /** helidon-common-buffers 4.5.0's {@code ensureAvailable()}, instruction by instruction. */
    static final List<Opcode> EXPECTED = List.of(
            Opcode.ALOAD_0, Opcode.GETFIELD, Opcode.INVOKEVIRTUAL, Opcode.IFNE,          // while (!head.hasAvailable()) {
            Opcode.ALOAD_0, Opcode.GETFIELD, Opcode.GETFIELD, Opcode.IFNONNULL,          //   if (head.next == null)
            Opcode.ALOAD_0, Opcode.INVOKEVIRTUAL,                                        //     pullData();
            Opcode.ALOAD_0, Opcode.ALOAD_0, Opcode.GETFIELD, Opcode.GETFIELD, Opcode.PUTFIELD, //   head = head.next;
            Opcode.GOTO, Opcode.RETURN);                                                 // }

    private HelidonDataReaderPatch() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: HelidonDataReaderPatch HELIDON_COMMON_BUFFERS_JAR OUTPUT_DIR");
        }
        byte[] original;
        try (ZipFile jar = new ZipFile(args[0])) {
            var entry = jar.getEntry(CLASS + ".class");
            if (entry == null) {
                throw new IllegalStateException(args[0] + " has no " + CLASS + ".class");
            }
            try (var in = jar.getInputStream(entry)) {
                original = in.readAllBytes();
            }
        }
        Path out = Path.of(args[1]).resolve(CLASS + ".class");
        Files.createDirectories(out.getParent());
        Files.write(out, patch(original));
        System.out.println("HelidonDataReaderPatch: wrote " + out + " (ensureAvailable() clears the dropped node's next)");
    }

    static byte[] patch(byte[] original) {
        ClassFile files = ClassFile.of();
        ClassModel model = files.parse(original);
        MethodModel method = model.methods().stream()
                .filter(m -> m.methodName().equalsString("ensureAvailable") && m.methodType().equalsString("()V"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(CLASS + " has no ensureAvailable()V: Helidon changed it"));
        List<Opcode> found = method.code().map(HelidonDataReaderPatch::opcodes).orElse(List.of());
        if (!found.equals(EXPECTED)) {
            throw new IllegalStateException(CLASS + ".ensureAvailable() is not helidon-common-buffers 4.5.0's "
                    + "(found " + found + "): see src/build/HelidonDataReaderPatch.java on what to check");
        }
        return files.transformClass(model, ClassTransform.dropping(
                        e -> e instanceof MethodModel m && m.methodName().equalsString("ensureAvailable"))
                .andThen(ClassTransform.endHandler(cls -> cls.withMethodBody("ensureAvailable", VOID,
                        ClassFile.ACC_PUBLIC, code -> {
                            Label loop = code.newLabel();
                            Label pulled = code.newLabel();
                            Label done = code.newLabel();
                            code.labelBinding(loop)
                                    // while (!head.hasAvailable()) {
                                    .aload(0).getfield(READER, "head", NODE)
                                    .invokevirtual(NODE, "hasAvailable", MethodTypeDesc.of(ConstantDescs.CD_boolean))
                                    .ifne(done)
                                    //   Node consumed = head;
                                    .aload(0).getfield(READER, "head", NODE).astore(1)
                                    //   if (consumed.next == null) pullData();
                                    .aload(1).getfield(NODE, "next", NODE).ifnonnull(pulled)
                                    .aload(0).invokevirtual(READER, "pullData", VOID)
                                    .labelBinding(pulled)
                                    //   head = consumed.next;
                                    .aload(0).aload(1).getfield(NODE, "next", NODE).putfield(READER, "head", NODE)
                                    //   consumed.next = null;   (the patch)
                                    .aload(1).aconst_null().putfield(NODE, "next", NODE)
                                    .goto_(loop)
                                    .labelBinding(done)
                                    .return_();
                        }))));
    }

    private static List<Opcode> opcodes(CodeModel code) {
        return code.elementStream().filter(Instruction.class::isInstance).map(e -> ((Instruction) e).opcode()).toList();
    }
}
