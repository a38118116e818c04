package io.dynstack.agent.analyze;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Strongly connected components of a call graph (Tarjan 1972), without recursion: call chains in
 * real jars are deeper than the Java stack allows a recursive walk to go.
 *
 * <p>Components come out callees first (reverse topological order of the component DAG), which is
 * the order in which chain sums can be computed bottom-up.
 */
final class Tarjan {

    /**
     * @param components node lists, callees' components before callers'
     * @param component  each node's index into {@code components}; -1 for nodes left out
     * @param cyclic     per component: whether it holds a cycle (two or more nodes, or a self-call)
     */
    record Result(List<int[]> components, int[] component, boolean[] cyclic) {
    }

    private Tarjan() {
    }

    /** Components of the subgraph of nodes with {@code include[v]}; edges to other nodes are ignored. */
    static Result run(int[][] callees, boolean[] include) {
        int n = callees.length;
        int[] index = new int[n];
        int[] low = new int[n];
        int[] component = new int[n];
        boolean[] onStack = new boolean[n];
        Arrays.fill(index, -1);
        Arrays.fill(component, -1);
        int[] stack = new int[n];
        int sp = 0;
        int[] work = new int[n];
        int[] edge = new int[n];
        int next = 0;
        List<int[]> components = new ArrayList<>();
        List<Boolean> cyclic = new ArrayList<>();

        for (int root = 0; root < n; root++) {
            if (!include[root] || index[root] >= 0) {
                continue;
            }
            int depth = 0;
            work[depth] = root;
            edge[depth] = 0;
            index[root] = low[root] = next++;
            stack[sp++] = root;
            onStack[root] = true;
            while (depth >= 0) {
                int v = work[depth];
                if (edge[depth] < callees[v].length) {
                    int w = callees[v][edge[depth]++];
                    if (!include[w]) {
                        continue;
                    }
                    if (index[w] < 0) {
                        index[w] = low[w] = next++;
                        stack[sp++] = w;
                        onStack[w] = true;
                        depth++;
                        work[depth] = w;
                        edge[depth] = 0;
                    } else if (onStack[w]) {
                        low[v] = Math.min(low[v], index[w]);
                    }
                    continue;
                }
                if (low[v] == index[v]) {
                    int start = sp;
                    do {
                        start--;
                    } while (stack[start] != v);
                    int[] members = Arrays.copyOfRange(stack, start, sp);
                    sp = start;
                    int id = components.size();
                    boolean cycle = members.length > 1;
                    for (int m : members) {
                        onStack[m] = false;
                        component[m] = id;
                        for (int c : callees[m]) {
                            cycle |= c == m;
                        }
                    }
                    Arrays.sort(members);
                    components.add(members);
                    cyclic.add(cycle);
                }
                depth--;
                if (depth >= 0) {
                    int parent = work[depth];
                    low[parent] = Math.min(low[parent], low[v]);
                }
            }
        }
        boolean[] cyclicArray = new boolean[components.size()];
        for (int i = 0; i < cyclicArray.length; i++) {
            cyclicArray[i] = cyclic.get(i);
        }
        return new Result(components, component, cyclicArray);
    }
}
