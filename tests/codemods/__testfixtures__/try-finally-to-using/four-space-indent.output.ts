export function main() {
    using stack = new DisposableStack();
    const a = stack.adopt(open('a'), (a) => a.close());
    {
        using stack = new DisposableStack();
        const b = stack.adopt(open('b'), (b) => b.close());
        step('body');
    }
    trace('after b');
}
