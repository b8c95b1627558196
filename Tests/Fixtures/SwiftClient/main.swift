// A Swift program (with its own, dynamically linked Swift runtime) that loads a PKCS#11
// module by path and makes a few calls: proves the interposer, which carries a static Swift
// runtime of its own, loads into Swift processes as well as C ones.
//
//     p11t-swift-client MODULE.so
import CPKCS11
#if canImport(Glibc)
import Glibc
#endif

let arguments = CommandLine.arguments
guard arguments.count == 2 else {
    print("usage: p11t-swift-client MODULE.so")
    exit(2)
}
guard let handle = dlopen(arguments[1], RTLD_NOW | RTLD_LOCAL) else {
    print("dlopen failed: \(String(cString: dlerror()))")
    exit(2)
}
guard let symbol = dlsym(handle, "C_GetFunctionList") else {
    print("no C_GetFunctionList")
    exit(2)
}
typealias GetFunctionList = @convention(c) (UnsafeMutablePointer<UnsafeMutablePointer<CK_FUNCTION_LIST>?>?) -> CK_RV
let getFunctionList = unsafeBitCast(symbol, to: GetFunctionList.self)
var list: UnsafeMutablePointer<CK_FUNCTION_LIST>? = nil
print("C_GetFunctionList rv=\(getFunctionList(&list))")
guard let functions = list?.pointee else { exit(1) }
print("C_Initialize rv=\(functions.C_Initialize(nil))")
var info = CK_INFO()
print("C_GetInfo rv=\(functions.C_GetInfo(&info)) cryptoki=\(info.cryptokiVersion.major).\(info.cryptokiVersion.minor)")
var count: CK_ULONG = 0
print("C_GetSlotList rv=\(functions.C_GetSlotList(CK_BBOOL(CK_TRUE), nil, &count)) count=\(count)")
print("C_Finalize rv=\(functions.C_Finalize(nil))")
