export function main() {
	{
		using stack = new DisposableStack();
		const a = stack.adopt(open("a"), (a) => a.close());
		step("body");
	}
	return "done";
}
