variable "cidr" {
  type = string
}

variable "transit_gateway_id" {
  type = string
}

variable "shared_attachment_id" {
  type = string
}

resource "aws_vpc" "this" {
  cidr_block = var.cidr
}

resource "aws_subnet" "edge" {
  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet(var.cidr, 8, 0)
  availability_zone = "us-east-1a"
}

resource "aws_route_table" "edge" {
  vpc_id = aws_vpc.this.id

  route {
    cidr_block         = "10.0.0.0/8"
    transit_gateway_id = var.transit_gateway_id
  }
}

resource "aws_route_table_association" "edge" {
  subnet_id      = aws_subnet.edge.id
  route_table_id = aws_route_table.edge.id
}

resource "aws_ec2_transit_gateway_vpc_attachment" "this" {
  transit_gateway_id                              = var.transit_gateway_id
  vpc_id                                          = aws_vpc.this.id
  subnet_ids                                      = [aws_subnet.edge.id]
  transit_gateway_default_route_table_association = false
  transit_gateway_default_route_table_propagation = false
}

output "attachment_id" {
  value = aws_ec2_transit_gateway_vpc_attachment.this.id
}

output "shared_attachment_id" {
  value = var.shared_attachment_id
}
