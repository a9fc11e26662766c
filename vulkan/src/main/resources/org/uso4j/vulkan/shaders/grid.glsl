// The flat item index of this invocation over a Grid (x, y) dispatch (see Grid.java).
uint gridItem() {
    return gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * gl_NumWorkGroups.x * gl_WorkGroupSize.x;
}
