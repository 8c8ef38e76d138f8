export function main() {
    using stack = new DisposableStack();
    const a = stack.adopt(open('a'), (a) => a.close());
    {
        using stack1 = new DisposableStack();
        const b = stack1.adopt(open('b'), (b) => b.close());
        step('body');
    }
    trace('after b');
}
