// Original file: proto/rm/v1/rm.proto


export interface ListFrameworksRequest {
}

export interface ListFrameworksRequest__Output {
}
