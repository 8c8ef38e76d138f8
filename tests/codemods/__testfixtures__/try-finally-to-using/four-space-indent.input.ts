export function main() {
    const a = open('a');
    try {
        const b = open('b');
        try {
            step('body');
        } finally {
            b.close();
        }
        trace('after b');
    } finally {
        a.close();
    }
}
