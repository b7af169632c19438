package dev.sluice.deploy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fields of a fabric8 model object graph that the Kubernetes model does not know. fabric8 reads an unknown field
 * (a typo such as {@code replcas}, a field at the wrong level) into the {@code additionalProperties} of the object that
 * holds it instead of failing, so this walks every model object reached through its getters and reports each
 * non-empty {@code additionalProperties} with its path.
 */
final class UnknownFields {
    private final List<String> found = new ArrayList<>();

    private UnknownFields() {}

    static List<String> in(Object model) {
        var walk = new UnknownFields();
        walk.visit(model, model.getClass().getSimpleName());
        return walk.found;
    }

    private void visit(Object node, String path) {
        switch (node) {
            case null -> {}
            case List<?> list -> {
                for (int i = 0; i < list.size(); i++) {
                    visit(list.get(i), path + "[" + i + "]");
                }
            }
            case Map<?, ?> map -> map.forEach((key, value) -> visit(value, path + "[" + key + "]"));
            default -> {
                if (node.getClass().getName().startsWith("io.fabric8.")) {
                    visitModel(node, path);
                }
            }
        }
    }

    private void visitModel(Object model, String path) {
        for (Method getter : model.getClass().getMethods()) {
            if (getter.getParameterCount() != 0
                    || Modifier.isStatic(getter.getModifiers())
                    || getter.getDeclaringClass() == Object.class
                    || !getter.getName().startsWith("get")) {
                continue;
            }
            Object value = invoke(getter, model);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> unknown && !unknown.isEmpty()) {
                    found.add(path + ": " + unknown.keySet());
                }
            } else {
                visit(value, path + "." + getter.getName().substring(3));
            }
        }
    }

    private static Object invoke(Method getter, Object model) {
        try {
            return getter.invoke(model);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("Could not read " + getter + " of " + model.getClass(), e);
        }
    }
}
