export function main() {
	const a = open("a");
	try {
		step("body");
	} finally {
		a.close();
	}
	return "done";
}
