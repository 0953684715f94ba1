import YunweiServer
import ArgumentParser
print("x")
